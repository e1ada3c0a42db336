#!/usr/bin/python3
"""Interop client: Google's C-core gRPC (Debian python3-grpcio) against our server.

Usage: /usr/bin/python3 echo_client.py PORT ECHO_PROTO_DIR
Generates Python modules with protoc (echo.proto and the grpc-proto health/reflection files) into a temp dir,
runs each scenario and prints one line per scenario: "<name> <result...>". The xunit test asserts on those lines.
"""
import importlib.util
import subprocess
import sys
import tempfile
import threading
import time

import grpc

port, echo_dir = sys.argv[1], sys.argv[2]
GRPC_PROTO = "/usr/share/grpc-proto"
out = tempfile.mkdtemp(prefix="interop-")
subprocess.run(["protoc", f"-I{echo_dir}", f"--python_out={out}", f"{echo_dir}/echo.proto"], check=True)
subprocess.run(["protoc", f"-I{GRPC_PROTO}", f"--python_out={out}",
                f"{GRPC_PROTO}/grpc/health/v1/health.proto",
                f"{GRPC_PROTO}/grpc/reflection/v1/reflection.proto",
                f"{GRPC_PROTO}/grpc/reflection/v1alpha/reflection.proto"], check=True)
sys.path.insert(0, out)



def load(relative, name):
    # The generated grpc/... packages would clash with the installed grpc package: load them by path.
    spec = importlib.util.spec_from_file_location(name, f"{out}/{relative}")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


import echo_pb2  # noqa: E402
health_pb2 = load("grpc/health/v1/health_pb2.py", "health_pb2")
refl_v1 = load("grpc/reflection/v1/reflection_pb2.py", "reflection_v1_pb2")
refl_v1alpha = load("grpc/reflection/v1alpha/reflection_pb2.py", "reflection_v1alpha_pb2")

channel = grpc.insecure_channel(f"127.0.0.1:{port}", options=[("grpc.enable_http_proxy", 0)])
ser, de = echo_pb2.EchoRequest.SerializeToString, echo_pb2.EchoReply.FromString
unary = channel.unary_unary("/test.echo.v1.Echo/Unary", request_serializer=ser, response_deserializer=de)
collect = channel.stream_unary("/test.echo.v1.Echo/Collect", request_serializer=ser, response_deserializer=de)
expand = channel.unary_stream("/test.echo.v1.Echo/Expand", request_serializer=ser, response_deserializer=de)
chat = channel.stream_stream("/test.echo.v1.Echo/Chat", request_serializer=ser, response_deserializer=de)


def report(name, fn):
    try:
        print(name, fn(), flush=True)
    except grpc.RpcError as e:  # a scenario that failed unexpectedly
        print(name, "RPC_ERROR", e.code().name, e.details(), flush=True)
    except Exception as e:  # noqa: BLE001
        print(name, "EXCEPTION", type(e).__name__, e, flush=True)


def s_unary():
    reply, call = unary.with_call(echo_pb2.EchoRequest(text="py-ping"), metadata=[("x-test", "from-python")])
    return f"OK {reply.text} {reply.header} {call.code().name}"


def s_unary_gzip():
    reply = unary(echo_pb2.EchoRequest(text="py-zip" * 50), compression=grpc.Compression.Gzip)
    return f"OK {len(reply.text)}"


def s_client_stream():
    reply = collect(iter([echo_pb2.EchoRequest(text=t) for t in ["a", "b", "c"]]))
    return f"OK {reply.text} {reply.count}"


def s_server_stream():
    return "OK " + ",".join(str(r.index) for r in expand(echo_pb2.EchoRequest(text="s", repeat=4)))


def s_bidi():
    # Ping-pong: the next request is only sent after the previous reply arrived.
    replies = []
    got = threading.Event()
    pending = ["x", "y", "z"]

    def requests():
        for t in pending:
            yield echo_pb2.EchoRequest(text=t)
            got.wait(10)
            got.clear()

    for r in chat(requests()):
        replies.append(r.text)
        got.set()
    return "OK " + ",".join(replies)


def s_deadline():
    started = time.monotonic()
    try:
        unary(echo_pb2.EchoRequest(text="py-deadline", delay_ms=30000), timeout=1.5)
        return "UNEXPECTED_OK"
    except grpc.RpcError as e:
        return f"{e.code().name} {time.monotonic() - started < 8}"


def s_cancel():
    future = unary.future(echo_pb2.EchoRequest(text="py-cancel", delay_ms=30000))
    time.sleep(1.0)  # let the call reach the handler before cancelling it
    future.cancel()
    return f"cancelled={future.cancelled()}"


def s_error():
    try:
        unary(echo_pb2.EchoRequest(fail_code=5, fail_message="no such thing: café 100%"))
        return "UNEXPECTED_OK"
    except grpc.RpcError as e:
        trailers = dict(e.trailing_metadata() or [])
        return f"{e.code().name} {e.details()} pushback={trailers.get('grpc-retry-pushback-ms')}"


def s_unknown_method():
    bogus = channel.unary_unary("/test.echo.v1.Echo/Nope", request_serializer=ser, response_deserializer=de)
    try:
        bogus(echo_pb2.EchoRequest())
        return "UNEXPECTED_OK"
    except grpc.RpcError as e:
        return e.code().name


def s_health():
    check = channel.unary_unary("/grpc.health.v1.Health/Check",
                                request_serializer=health_pb2.HealthCheckRequest.SerializeToString,
                                response_deserializer=health_pb2.HealthCheckResponse.FromString)
    overall = check(health_pb2.HealthCheckRequest(service=""))
    try:
        check(health_pb2.HealthCheckRequest(service="no.such.Service"))
        unknown = "UNEXPECTED_OK"
    except grpc.RpcError as e:
        unknown = e.code().name
    return f"{health_pb2.HealthCheckResponse.ServingStatus.Name(overall.status)} {unknown}"


def s_reflection(module, version):
    info = channel.stream_stream(f"/grpc.reflection.{version}.ServerReflection/ServerReflectionInfo",
                                 request_serializer=module.ServerReflectionRequest.SerializeToString,
                                 response_deserializer=module.ServerReflectionResponse.FromString)
    reqs = [module.ServerReflectionRequest(list_services=""),
            module.ServerReflectionRequest(file_containing_symbol="test.echo.v1.Echo")]
    responses = list(info(iter(reqs)))
    names = sorted(s.name for s in responses[0].list_services_response.service)
    files = len(responses[1].file_descriptor_response.file_descriptor_proto)
    return "OK " + ",".join(names) + f" files={files}"


report("unary", s_unary)
report("unary_gzip", s_unary_gzip)
report("client_stream", s_client_stream)
report("server_stream", s_server_stream)
report("bidi", s_bidi)
report("deadline", s_deadline)
report("cancel", s_cancel)
report("error", s_error)
report("unknown_method", s_unknown_method)
report("health", s_health)
report("reflection_v1", lambda: s_reflection(refl_v1, "v1"))
report("reflection_v1alpha", lambda: s_reflection(refl_v1alpha, "v1alpha"))
