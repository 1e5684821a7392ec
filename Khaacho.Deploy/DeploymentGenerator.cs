using Khaacho.Deploy.Base;
using Khaacho.Deploy.Output;
using Khaacho.Deploy.Production;

namespace Khaacho.Deploy;

public static class DeploymentGenerator
{
    public static GeneratedFiles Generate(DeployInputs inputs)
    {
        var files = new GeneratedFiles(BaseGenerator.Folder, ProductionGenerator.Folder);
        var workloads = new BaseGenerator(inputs, files).Generate();
        new ProductionGenerator(inputs, workloads, files).Generate();
        return files;
    }
}
