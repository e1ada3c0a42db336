using Google.Protobuf.Reflection;

namespace MatchService.Grpc.Reflection;

/// <summary>Files by name and by the symbols they define, over the served services and their dependencies.</summary>
internal sealed class DescriptorIndex
{
    private DescriptorIndex()
    {
    }

    public Dictionary<string, FileDescriptor> Files { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, FileDescriptor> Symbols { get; } = new(StringComparer.Ordinal);

    public static DescriptorIndex Build(IEnumerable<ServiceDescriptor> services)
    {
        var index = new DescriptorIndex();
        foreach (var service in services)
        {
            index.AddFile(service.File);
        }
        return index;
    }

    private void AddFile(FileDescriptor file)
    {
        if (!Files.TryAdd(file.Name, file))
        {
            return;
        }
        foreach (var service in file.Services)
        {
            Symbols.TryAdd(service.FullName, file);
            foreach (var method in service.Methods)
            {
                Symbols.TryAdd($"{service.FullName}.{method.Name}", file);
            }
        }
        foreach (var message in file.MessageTypes)
        {
            AddMessage(message, file);
        }
        foreach (var e in file.EnumTypes)
        {
            Symbols.TryAdd(e.FullName, file);
        }
        foreach (var extension in file.Extensions.UnorderedExtensions)
        {
            Symbols.TryAdd(extension.FullName, file);
        }
        foreach (var dependency in file.Dependencies)
        {
            AddFile(dependency);
        }
    }

    private void AddMessage(MessageDescriptor message, FileDescriptor file)
    {
        Symbols.TryAdd(message.FullName, file);
        foreach (var nested in message.NestedTypes)
        {
            AddMessage(nested, file);
        }
        foreach (var e in message.EnumTypes)
        {
            Symbols.TryAdd(e.FullName, file);
        }
    }
}
