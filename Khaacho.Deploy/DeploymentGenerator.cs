using Khaacho.Deploy.Base;
using Khaacho.Deploy.Output;
using Khaacho.Deploy.Production;
using Khaacho.Deploy.Secrets;

namespace Khaacho.Deploy;

public static class DeploymentGenerator
{
    public static GeneratedFiles Generate(DeployInputs inputs)
    {
        var files = new GeneratedFiles(BaseGenerator.Folder, SecretsGenerator.Folder, ProductionGenerator.Folder);
        var baseGenerator = new BaseGenerator(inputs, files);
        var workloads = baseGenerator.Generate();
        new SecretsGenerator(baseGenerator.SuppliedValues, files).Generate();
        new ProductionGenerator(inputs, workloads, files).Generate();
        return files;
    }
}
