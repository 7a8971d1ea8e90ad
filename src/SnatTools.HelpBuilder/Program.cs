using SnatTools.HelpBuilder;
using SnatTools.HelpBuilder.Model;

if (args.Length != 2)
{
    Console.Error.WriteLine("usage: SnatTools.HelpBuilder <docs directory> <module help directory, e.g. out/SnatTools/0.1.0/en-US>");
    return 2;
}

try
{
    foreach (string file in HelpBuild.Run(args[0], args[1]))
    {
        Console.WriteLine($"help: {file}");
    }

    return 0;
}
catch (AggregateException ex) when (ex.InnerExceptions.All(e => e is DocFormatException))
{
    foreach (var error in ex.InnerExceptions)
    {
        Console.Error.WriteLine(error.Message);
    }

    Console.Error.WriteLine($"help: {ex.InnerExceptions.Count} page(s) break the docs schema; no help written.");
    return 1;
}
