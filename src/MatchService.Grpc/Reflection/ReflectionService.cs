using Google.Protobuf;
using Google.Protobuf.Reflection;
using MatchService.Grpc.Server;
using V1 = Grpc.Reflection.V1;
using V1Alpha = Grpc.Reflection.V1Alpha;

namespace MatchService.Grpc.Reflection;

/// <summary>
/// Server reflection (<c>grpc.reflection.v1</c> and <c>v1alpha</c>) over the services in the
/// <see cref="GrpcServiceRegistry"/>: list services, file by name, file containing a symbol, with dependencies.
/// The two versions are wire-identical, so v1alpha requests are answered by the v1 code.
/// </summary>
public sealed class ReflectionService(GrpcServiceRegistry registry)
{
    /// <summary>The v1 service.</summary>
    public static ServiceDescriptor V1Descriptor => V1.ReflectionReflection.Descriptor.Services[0];

    /// <summary>The v1alpha service.</summary>
    public static ServiceDescriptor V1AlphaDescriptor => V1Alpha.ReflectionReflection.Descriptor.Services[0];

    /// <summary>Binds the v1 service.</summary>
    public void BindV1(GrpcServiceBuilder builder) =>
        builder.DuplexStreaming<V1.ServerReflectionRequest, V1.ServerReflectionResponse>("ServerReflectionInfo", async (requests, responses, context) =>
        {
            await foreach (var request in requests.ReadAllAsync(context.CancellationToken).ConfigureAwait(false))
            {
                await responses.WriteAsync(Answer(request), context.CancellationToken).ConfigureAwait(false);
            }
        });

    /// <summary>Binds the v1alpha service.</summary>
    public void BindV1Alpha(GrpcServiceBuilder builder) =>
        builder.DuplexStreaming<V1Alpha.ServerReflectionRequest, V1Alpha.ServerReflectionResponse>("ServerReflectionInfo", async (requests, responses, context) =>
        {
            await foreach (var request in requests.ReadAllAsync(context.CancellationToken).ConfigureAwait(false))
            {
                var answer = Answer(V1.ServerReflectionRequest.Parser.ParseFrom(request.ToByteString()));
                await responses.WriteAsync(V1Alpha.ServerReflectionResponse.Parser.ParseFrom(answer.ToByteString()), context.CancellationToken)
                    .ConfigureAwait(false);
            }
        });

    /// <summary>Answers one reflection request.</summary>
    public V1.ServerReflectionResponse Answer(V1.ServerReflectionRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var response = new V1.ServerReflectionResponse { ValidHost = request.Host, OriginalRequest = request };
        var index = DescriptorIndex.Build(registry.Services);
        switch (request.MessageRequestCase)
        {
            case V1.ServerReflectionRequest.MessageRequestOneofCase.ListServices:
                response.ListServicesResponse = new V1.ListServiceResponse();
                response.ListServicesResponse.Service.AddRange(registry.Services.Select(s => new V1.ServiceResponse { Name = s.FullName }));
                break;
            case V1.ServerReflectionRequest.MessageRequestOneofCase.FileByFilename:
                SetFile(response, index.Files.GetValueOrDefault(request.FileByFilename), $"File '{request.FileByFilename}' not found.");
                break;
            case V1.ServerReflectionRequest.MessageRequestOneofCase.FileContainingSymbol:
                SetFile(response, index.Symbols.GetValueOrDefault(request.FileContainingSymbol), $"Symbol '{request.FileContainingSymbol}' not found.");
                break;
            case V1.ServerReflectionRequest.MessageRequestOneofCase.FileContainingExtension:
                SetError(response, StatusCode.NotFound,
                    $"Extension {request.FileContainingExtension.ContainingType}:{request.FileContainingExtension.ExtensionNumber} not found.");
                break;
            case V1.ServerReflectionRequest.MessageRequestOneofCase.AllExtensionNumbersOfType:
                if (index.Symbols.ContainsKey(request.AllExtensionNumbersOfType))
                {
                    response.AllExtensionNumbersResponse = new V1.ExtensionNumberResponse { BaseTypeName = request.AllExtensionNumbersOfType };
                }
                else
                {
                    SetError(response, StatusCode.NotFound, $"Type '{request.AllExtensionNumbersOfType}' not found.");
                }
                break;
            default:
                SetError(response, StatusCode.InvalidArgument, "The reflection request names no query.");
                break;
        }
        return response;
    }

    private static void SetFile(V1.ServerReflectionResponse response, FileDescriptor? file, string notFound)
    {
        if (file is null)
        {
            SetError(response, StatusCode.NotFound, notFound);
            return;
        }
        response.FileDescriptorResponse = new V1.FileDescriptorResponse();
        foreach (var f in WithDependencies(file))
        {
            response.FileDescriptorResponse.FileDescriptorProto.Add(f.SerializedData);
        }
    }

    private static void SetError(V1.ServerReflectionResponse response, StatusCode code, string message) =>
        response.ErrorResponse = new V1.ErrorResponse { ErrorCode = (int)code, ErrorMessage = message };

    /// <summary>The file first, then its transitive dependencies, each once.</summary>
    private static List<FileDescriptor> WithDependencies(FileDescriptor file)
    {
        var result = new List<FileDescriptor>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var pending = new Queue<FileDescriptor>([file]);
        while (pending.Count > 0)
        {
            var f = pending.Dequeue();
            if (!seen.Add(f.Name))
            {
                continue;
            }
            result.Add(f);
            foreach (var d in f.Dependencies)
            {
                pending.Enqueue(d);
            }
        }
        return result;
    }
}
