// Renders deploy/k8s (base, the production overlay, and the secrets kustomization from its example) with
// `kubectl kustomize`, then validates every object offline: against the Kubernetes, KEDA, Istio and Prometheus Operator
// schemas (kubernetes-models), and for unknown or misspelled fields, which those schemas accept. Prints how many
// objects it validated; exits 1 on any problem.
// Usage: node validate.mjs  (npm ci first; ./khaacho k8s does both)
import { execFileSync } from "node:child_process";
import { cpSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseAllDocuments } from "yaml";

const k8sDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
// The base and the overlay must render without any secrets.env (a clean clone) and hold no Secret; the secrets
// kustomization is rendered from its committed example, so only placeholders are ever printed or validated.
const renders = [
  { dir: "base", secrets: false },
  { dir: "overlays/production", secrets: false },
  { dir: "secrets", secrets: true },
];
const modules = new Map();
const packages = ["kubernetes-models", "@kubernetes-models/keda", "@kubernetes-models/istio", "@kubernetes-models/prometheus-operator"];

// Render from a copy without any real secrets.env, so an operator's secrets are never read, printed or validated.
const work = mkdtempSync(path.join(tmpdir(), "khaacho-k8s-"));
const isSecretsEnv = (src) => path.basename(path.dirname(src)) === "secrets" && src.endsWith(".env");
let failures = 0;
let validated = 0;
try {
  cpSync(k8sDir, path.join(work, "k8s"), {
    recursive: true,
    filter: (src) => !src.includes(`${path.sep}validate${path.sep}`) && !src.endsWith(`${path.sep}validate`) && !isSecretsEnv(src),
  });

  for (const { dir, secrets } of renders) {
    const root = path.join(work, "k8s", dir);
    const env = path.join(root, "secrets.env");
    if (secrets) cpSync(`${env}.example`, env);
    let rendered;
    try {
      rendered = execFileSync("kubectl", ["kustomize", root], { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
    } catch (error) {
      failures++;
      console.error(`✗ ${dir}: kubectl kustomize failed${secrets ? "" : " with no secrets.env present"}\n  ${String(error.stderr ?? error.message).trim()}`);
      continue;
    } finally {
      if (secrets) rmSync(env);
    }
    const objects = parseAllDocuments(rendered).map((d) => d.toJS()).filter(Boolean);
    for (const object of objects) {
      const name = `${dir}: ${object.kind}/${object.metadata?.name}`;
      const problems = [...(await check(object)), ...secretProblems(object, secrets)];
      if (problems.length > 0) {
        failures++;
        console.error(`✗ ${name}\n  ${problems.join("\n  ")}`);
      }
    }
    validated += objects.length;
    console.log(`${dir}: ${objects.length} objects rendered and validated`);
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
console.log(`${validated} objects validated, ${failures} invalid`);
process.exit(failures === 0 ? 0 : 1);

// Only the secrets kustomization makes a Secret, and from the example it holds each key's <placeholder> and nothing else.
function secretProblems(object, secretsRender) {
  if (object.kind !== "Secret") return [];
  if (!secretsRender) return ["a Secret in the base or overlay: secrets come only from deploy/k8s/secrets"];
  const problems = object.stringData ? ["stringData holds literal values"] : [];
  for (const [key, value] of Object.entries(object.data ?? {})) {
    if (Buffer.from(value, "base64").toString("utf8") !== `<${key}>`) problems.push(`/data/${key}: not the example's placeholder`);
  }
  return problems;
}

async function check(object) {
  const Model = await modelFor(object.apiVersion, object.kind);
  if (!Model) return [`no schema for ${object.apiVersion} ${object.kind}`];
  const errors = validationErrors(Model, object);
  if (errors.length > 0) return errors.map((e) => `${e.instancePath || "/"} ${e.message ?? e.keyword} ${JSON.stringify(e.params ?? {})}`);
  return unknownFields(Model, object).map((pointer) => `${pointer}: unknown field (not in the ${object.kind} schema)`);
}

async function modelFor(apiVersion, kind) {
  for (const pkg of packages) {
    const specifier = `${pkg}/${apiVersion}`;
    if (!modules.has(specifier)) modules.set(specifier, await import(specifier).catch(() => null));
    const Model = modules.get(specifier)?.[kind];
    if (Model?.apiVersion === apiVersion && Model?.kind === kind) return Model;
  }
  return null;
}

function validationErrors(Model, object) {
  try {
    new Model(object).validate();
    return [];
  } catch (error) {
    if (Array.isArray(error.errors)) return error.errors;
    throw error;
  }
}

// The schemas allow extra properties, so a misspelled field passes validation and is silently ignored by the cluster.
// Each field is probed instead: replaced by a value no schema type accepts, a field the schema knows must produce an
// error at its path. One that produces none is not in the schema. Maps (labels, KEDA metadata) accept any key by design.
function unknownFields(Model, object) {
  const unknown = [];
  const walk = (node, pointer) => {
    if (Array.isArray(node)) {
      node.forEach((item, i) => walk(item, `${pointer}/${i}`));
      return;
    }
    if (node === null || typeof node !== "object") return;
    for (const key of Object.keys(node)) {
      if (pointer === "" && (key === "apiVersion" || key === "kind")) continue;
      const child = `${pointer}/${key.replaceAll("~", "~0").replaceAll("/", "~1")}`;
      if (rejects(Model, object, child)) walk(node[key], child);
      else unknown.push(child);
    }
  };
  walk(object, "");
  return unknown;
}

function rejects(Model, object, pointer) {
  const probe = structuredClone(object);
  const keys = pointer.split("/").slice(1).map((k) => k.replaceAll("~1", "/").replaceAll("~0", "~"));
  let parent = probe;
  for (const key of keys.slice(0, -1)) parent = parent[key];
  parent[keys.at(-1)] = Symbol("probe");
  try {
    return validationErrors(Model, probe).some((e) => e.instancePath === pointer || e.instancePath.startsWith(`${pointer}/`));
  } catch {
    return true; // the validator reached the field and choked on the probe: it knows the field
  }
}
