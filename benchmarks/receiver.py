"""A healthy webhook receiver for the benchmarks: HTTP/1.1 keep-alive on loopback, answers
every request 204 at once and counts them. ``python -m benchmarks.receiver PORT``; on SIGTERM
it prints ``received N`` and exits."""

from __future__ import annotations

import asyncio
import signal
import sys


async def serve(port: int) -> int:
    received = 0

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        nonlocal received
        try:
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                length = 0
                for line in head.split(b"\r\n")[1:]:
                    name, _, value = line.partition(b":")
                    if name.strip().lower() == b"content-length":
                        length = int(value)
                await reader.readexactly(length)
                received += 1
                writer.write(b"HTTP/1.1 204 No Content\r\ncontent-length: 0\r\n\r\n")
                await writer.drain()
        except (asyncio.IncompleteReadError, ConnectionError, asyncio.LimitOverrunError):
            writer.close()

    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    server = await asyncio.start_server(handle, "127.0.0.1", port)
    async with server:
        await stop.wait()
    return received


if __name__ == "__main__":
    count = asyncio.run(serve(int(sys.argv[1])))
    sys.stdout.write(f"received {count}\n")
