#!/usr/bin/python3
"""What grpcurl does, with Google's C-core gRPC (Debian python3-grpcio) and only the reflection protos at hand.

Usage: /usr/bin/python3 reflection_client.py PORT IMAGE_DIR
IMAGE_DIR holds a.jpg, b.jpg (two photos of one person), c.jpg (a third), garbage.jpg (not an image).
`list` and `describe` go through grpc.reflection.v1 (as grpcurl does); every call is built from JSON with message
classes made from the served descriptors, images as base64 `data` as in README's grpcurl example. Prints one line
per scenario: "<name> <result...>"; the xunit test (ReflectionClientTests) asserts on the lines.
"""
import base64
import importlib.util
import subprocess
import sys
import tempfile

import grpc
from google.protobuf import descriptor_pb2, descriptor_pool, json_format, message_factory

port, image_dir = sys.argv[1], sys.argv[2]
GRPC_PROTO = "/usr/share/grpc-proto"
out = tempfile.mkdtemp(prefix="grpcurl-")
subprocess.run(["protoc", f"-I{GRPC_PROTO}", f"--python_out={out}", f"{GRPC_PROTO}/grpc/reflection/v1/reflection.proto"], check=True)
# The generated grpc/... package would clash with the installed grpc package: load the module by path.
spec = importlib.util.spec_from_file_location("reflection_pb2", f"{out}/grpc/reflection/v1/reflection_pb2.py")
refl = importlib.util.module_from_spec(spec)
spec.loader.exec_module(refl)

channel = grpc.insecure_channel(f"127.0.0.1:{port}", options=[("grpc.enable_http_proxy", 0)])
reflect = channel.stream_stream("/grpc.reflection.v1.ServerReflection/ServerReflectionInfo",
                                request_serializer=refl.ServerReflectionRequest.SerializeToString,
                                response_deserializer=refl.ServerReflectionResponse.FromString)
pool = descriptor_pool.DescriptorPool()
files = {}  # name -> FileDescriptorProto, everything reflection returned


def ask(**request):
    (response,) = reflect(iter([refl.ServerReflectionRequest(**request)]))
    if response.HasField("error_response"):
        raise LookupError(f"{response.error_response.error_code} {response.error_response.error_message}")
    return response


def fetch(**request):
    """file_containing_symbol / file_by_filename, then every dependency not yet seen (grpcurl's order)."""
    for raw in ask(**request).file_descriptor_response.file_descriptor_proto:
        proto = descriptor_pb2.FileDescriptorProto.FromString(raw)
        files.setdefault(proto.name, proto)
    for name in sorted({d for f in files.values() for d in f.dependency} - files.keys()):
        if name not in files:  # an earlier fetch may have brought it
            fetch(file_by_filename=name)


def add(name):
    """Adds a file to the pool after its dependencies."""
    try:
        pool.FindFileByName(name)
    except KeyError:
        for dependency in files[name].dependency:
            add(dependency)
        pool.Add(files[name])


def message_class(full_name):
    descriptor = pool.FindMessageTypeByName(full_name)
    make = getattr(message_factory, "GetMessageClass", None)  # protobuf >= 4.22; Debian 12 has 4.21
    return make(descriptor) if make else message_factory.MessageFactory(pool).GetPrototype(descriptor)


def call(full_method, *bodies):
    """grpcurl -d '<json> <json> ...': one JSON body per request message; the response, or the list of responses."""
    service, name = full_method.rsplit("/", 1)
    m = pool.FindServiceByName(service).FindMethodByName(name)
    request, response = message_class(m.input_type.full_name), message_class(m.output_type.full_name)
    kind = {(False, False): channel.unary_unary, (True, False): channel.stream_unary,
            (False, True): channel.unary_stream, (True, True): channel.stream_stream}[(m.client_streaming, m.server_streaming)]
    fn = kind(f"/{full_method}", request_serializer=request.SerializeToString, response_deserializer=response.FromString)
    messages = [json_format.ParseDict(body, request()) for body in bodies]
    result = fn(iter(messages)) if m.client_streaming else fn(messages[0])
    return list(result) if m.server_streaming else result


def to_json(message):
    return json_format.MessageToJson(message, indent=None)


def image(id, file):
    with open(f"{image_dir}/{file}", "rb") as f:
        return {"id": id, "data": base64.b64encode(f.read()).decode()}


def report(name, fn):
    try:
        print(name, fn(), flush=True)
    except grpc.RpcError as e:
        print(name, "RPC_ERROR", e.code().name, e.details(), flush=True)
    except Exception as e:  # noqa: BLE001
        print(name, "EXCEPTION", type(e).__name__, e, flush=True)


def s_list():
    return ",".join(sorted(s.name for s in ask(list_services="").list_services_response.service))


def s_describe(service):
    fetch(file_containing_symbol=service)
    for name in files:
        add(name)
    kinds = {(False, False): "unary", (True, False): "client_stream", (False, True): "server_stream", (True, True): "bidi"}
    methods = pool.FindServiceByName(service).methods
    return ";".join(f"{m.name} {kinds[(m.client_streaming, m.server_streaming)]} {m.input_type.full_name} {m.output_type.full_name}"
                    for m in methods)


def s_describe_message(full_name):
    return ",".join(f.json_name for f in pool.FindMessageTypeByName(full_name).fields)


def s_verify():
    # grpcurl -d '{...} {...} {...}': one message per image on the client stream.
    r = call("match.v1.MatchService/Verify", {"images": [{"image": image("a", "a.jpg")}]},
             {"images": [{"image": image("b", "b.jpg")}]}, {"images": [{"image": image("c", "c.jpg")}]})
    return f"{json_format.MessageToDict(r)['verdict']} images={len(r.images)} pairs={len(r.pairs)}"


def s_embed():
    responses = call("match.v1.MatchService/EmbedPersons", {"images": [{"image": image("a", "a.jpg")}]},
                     {"images": [{"image": image("b", "b.jpg")}, {"image": image("c", "c.jpg")}]})
    return " ".join(f"image:{r.image.image_id}:{len(r.image.persons)}" if r.WhichOneof("result") == "image"
                    else f"{r.WhichOneof('result')}:{len(r.summary.persons)}" for r in responses)


def candidates(*names):
    with_bytes = [image(n, f"{n}.jpg") for n in names]
    return [{"id": c["id"], "category": "clothing", "image": c["data"]} for c in with_bytes]


def s_rank():
    r = call("match.v1.MatchService/RankCandidates", {"query": image("q", "a.jpg"), "candidates": candidates("b", "c")})
    return f"{json_format.MessageToDict(r)['intent']} candidates={r.candidate_count}"


def s_rank_stream():
    r = call("match.v1.MatchService/RankCandidatesStream", {"query": image("q", "a.jpg")},
             {"candidates": candidates("b")}, {"candidates": candidates("c")})
    return f"{json_format.MessageToDict(r)['intent']} candidates={r.candidate_count}"


report("list", s_list)
report("describe", lambda: s_describe("match.v1.MatchService"))
report("describe_health", lambda: s_describe("grpc.health.v1.Health"))
report("describe_message", lambda: s_describe_message("match.v1.CompareResponse"))
report("health", lambda: to_json(call("grpc.health.v1.Health/Check", {"service": "match.v1.MatchService"})))
report("list_models", lambda: ",".join(m.name for m in call("match.v1.MatchService/ListModels", {}).models))
report("compare", lambda: to_json(call("match.v1.MatchService/CompareWithConfidence",
                                       {"first": {"image": image("a", "a.jpg")}, "second": {"image": image("b", "b.jpg")}})))
report("compare_garbage", lambda: to_json(call("match.v1.MatchService/CompareWithConfidence",
                                               {"first": {"image": image("junk", "garbage.jpg")}, "second": {"image": image("b", "b.jpg")}})))
report("verify", s_verify)
report("embed", s_embed)
report("rank", s_rank)
report("rank_stream", s_rank_stream)
