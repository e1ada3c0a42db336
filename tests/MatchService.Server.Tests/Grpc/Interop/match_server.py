#!/usr/bin/python3
"""A match.v1.MatchService on Google's C-core gRPC (Debian python3-grpcio), for CCoreInteropTests.

Usage: /usr/bin/python3 match_server.py PROTO_ROOT
Prints "port <n>" once listening on 127.0.0.1, then serves until stdin closes. Responses are gzip-compressed.
- ListModels: the first call is refused (RESOURCE_EXHAUSTED with grpc-retry-pushback-ms 200); later calls answer one
  model named "c-core" whose description is the call's authorization header and whose version counts the calls.
- CompareWithConfidence: echoes what it read of first.precomputed.feature as first.image_id ("<count>:<sum>").
"""
import importlib
import subprocess
import sys
import tempfile
from concurrent import futures

import grpc

proto_root = sys.argv[1]
out = tempfile.mkdtemp(prefix="match-pb-")
subprocess.run(["protoc", f"-I{proto_root}", f"--python_out={out}"]
               + [f"{proto_root}/match/v1/{name}.proto" for name in ("common", "compare", "models")], check=True)
sys.path.insert(0, out)
compare_pb2 = importlib.import_module("match.v1.compare_pb2")
models_pb2 = importlib.import_module("match.v1.models_pb2")
calls = {"ListModels": 0}


def list_models(request, context):
    calls["ListModels"] += 1
    if calls["ListModels"] == 1:
        context.set_trailing_metadata((("grpc-retry-pushback-ms", "200"),))
        context.abort(grpc.StatusCode.RESOURCE_EXHAUSTED, "queue full")
    auth = dict(context.invocation_metadata()).get("authorization", "")
    return models_pb2.ListModelsResponse(models=[models_pb2.ModelInfo(name="c-core", description=auth, version=str(calls["ListModels"]))])


def compare(request, context):
    feature = request.first.precomputed.feature
    response = compare_pb2.CompareResponse()
    response.first.image_id = f"{len(feature)}:{sum(feature):g}"
    return response


handler = grpc.method_handlers_generic_handler("match.v1.MatchService", {
    "ListModels": grpc.unary_unary_rpc_method_handler(
        list_models, request_deserializer=models_pb2.ListModelsRequest.FromString,
        response_serializer=models_pb2.ListModelsResponse.SerializeToString),
    "CompareWithConfidence": grpc.unary_unary_rpc_method_handler(
        compare, request_deserializer=compare_pb2.CompareRequest.FromString,
        response_serializer=compare_pb2.CompareResponse.SerializeToString),
})
server = grpc.server(futures.ThreadPoolExecutor(max_workers=4), handlers=[handler], compression=grpc.Compression.Gzip)
port = server.add_insecure_port("127.0.0.1:0")
server.start()
print(f"port {port}", flush=True)
sys.stdin.read()
server.stop(0)
