#!/usr/bin/python3
"""Interop server: the Echo service on Google's C-core gRPC (Debian python3-grpcio), for our C# client to call.

Usage: /usr/bin/python3 echo_server.py ECHO_PROTO_DIR
Binds 127.0.0.1 on a free port, prints "PORT <n>", serves until stdin closes (the test closes it to stop the server).
Replies like the C# EchoService: Unary echoes the text, Collect joins the texts and counts them, Expand replies
`repeat` times, Chat echoes each request. C-core decompresses requests itself (grpc-encoding: gzip and the
compressed flag) and fails the call with INTERNAL when they do not agree or the data is not gzip.
"""
import subprocess
import sys
import tempfile
from concurrent import futures

import grpc

echo_dir = sys.argv[1]
out = tempfile.mkdtemp(prefix="interop-server-")
subprocess.run(["protoc", f"-I{echo_dir}", f"--python_out={out}", f"{echo_dir}/echo.proto"], check=True)
sys.path.insert(0, out)
import echo_pb2  # noqa: E402


def unary(request, context):
    return echo_pb2.EchoReply(text=request.text, payload=request.payload)


def collect(requests, context):
    texts = [r.text for r in requests]
    return echo_pb2.EchoReply(text=",".join(texts), count=len(texts))


def expand(request, context):
    for i in range(request.repeat):
        yield echo_pb2.EchoReply(text=request.text, index=i)


def chat(requests, context):
    for i, r in enumerate(requests):
        yield echo_pb2.EchoReply(text=r.text, index=i)


ser, de = echo_pb2.EchoReply.SerializeToString, echo_pb2.EchoRequest.FromString
handlers = grpc.method_handlers_generic_handler("test.echo.v1.Echo", {
    "Unary": grpc.unary_unary_rpc_method_handler(unary, request_deserializer=de, response_serializer=ser),
    "Collect": grpc.stream_unary_rpc_method_handler(collect, request_deserializer=de, response_serializer=ser),
    "Expand": grpc.unary_stream_rpc_method_handler(expand, request_deserializer=de, response_serializer=ser),
    "Chat": grpc.stream_stream_rpc_method_handler(chat, request_deserializer=de, response_serializer=ser),
})
server = grpc.server(futures.ThreadPoolExecutor(max_workers=4))
server.add_generic_rpc_handlers((handlers,))
port = server.add_insecure_port("127.0.0.1:0")
server.start()
print("PORT", port, flush=True)
sys.stdin.read()
server.stop(grace=1).wait()
