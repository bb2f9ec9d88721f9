#!/usr/bin/env python3
"""MLLP sender for the kill -9 test (MLLPKillTests): streams the messages of an
MLLP-framed feed (0x0B ... 0x1C 0x0D, as `feedgen --terminator mllp` writes) to
127.0.0.1:PORT, up to WINDOW messages unacknowledged at a time, and appends the
MSH-10 of every message positively acknowledged (MSA-1 CA or AA) to ACKED, one a
line, flushed at once.

Messages whose control id ACKED already holds are not sent again: run it again
after a lost connection and it resends, in the original order, everything not
positively acknowledged.

With --kill-pid, it sends SIGKILL to that process as soon as it has read the
first positive acknowledgement, after --kill-after of them, of a message whose
control id is a line of --kill-on (the messages that raise an alert): a daemon
that acknowledged before its commit is then killed before that commit.

Exit status: 0 when every message is acknowledged; 3 when the connection is lost
(or cannot be made within 30 s); 4 on a negative acknowledgement; 5 on a
timeout waiting for an acknowledgement.
"""

import argparse
import os
import signal
import socket
import sys
import time

START, END = b"\x0b", b"\x1c\x0d"


def frames(data):
    """The messages of an MLLP-framed byte string, in order."""
    messages, position = [], 0
    while True:
        start = data.find(START, position)
        if start < 0:
            return messages
        end = data.find(END, start)
        if end < 0:
            return messages
        messages.append(data[start + 1 : end])
        position = end + 2


def control_id(message):
    """MSH-10, with the message's own field separator."""
    header = message.split(b"\r", 1)[0]
    return header.split(header[3:4])[9].decode()


def connect(port):
    deadline = time.monotonic() + 30
    while True:
        try:
            return socket.create_connection(("127.0.0.1", port), timeout=30)
        except OSError:
            if time.monotonic() > deadline:
                return None
            time.sleep(0.05)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("feed")
    parser.add_argument("port", type=int)
    parser.add_argument("acked")
    parser.add_argument("--window", type=int, default=8)
    parser.add_argument("--kill-pid", type=int)
    parser.add_argument("--kill-after", type=int, default=0)
    parser.add_argument("--kill-on")
    arguments = parser.parse_args()

    with open(arguments.feed, "rb") as handle:
        messages = frames(handle.read())
    acked = set()
    if os.path.exists(arguments.acked):
        with open(arguments.acked) as handle:
            acked = {line.strip() for line in handle if line.strip()}
    kill_on = set()
    if arguments.kill_on:
        with open(arguments.kill_on) as handle:
            kill_on = {line.strip() for line in handle if line.strip()}
    pending = [(control_id(m), m) for m in messages if control_id(m) not in acked]
    print(f"{len(messages)} messages, {len(acked)} acknowledged before, {len(pending)} to send", flush=True)

    connection = connect(arguments.port)
    if connection is None:
        print("no connection", flush=True)
        return 3
    output = open(arguments.acked, "a")
    received, sent, waiting = b"", 0, []
    while sent < len(pending) or waiting:
        try:
            while sent < len(pending) and len(waiting) < arguments.window:
                connection.sendall(START + pending[sent][1] + END)
                waiting.append(pending[sent][0])
                sent += 1
            chunk = connection.recv(65536)
        except socket.timeout:
            print(f"timeout waiting for {waiting[0]}", flush=True)
            return 5
        except OSError as error:
            print(f"connection lost: {error}; {len(acked)} acknowledged", flush=True)
            return 3
        if not chunk:
            print(f"connection closed; {len(acked)} acknowledged", flush=True)
            return 3
        received += chunk
        for acknowledgement in frames(received):
            segments = acknowledgement.split(b"\r")
            msa = next(s for s in segments if s.startswith(b"MSA"))
            fields = msa.decode().split(msa.decode()[3])
            code, control = fields[1], fields[2]
            if code not in ("CA", "AA"):
                print(f"negative acknowledgement {code} for {control}", flush=True)
                return 4
            if control in waiting:
                waiting.remove(control)
            acked.add(control)
            output.write(control + "\n")
            output.flush()
            if arguments.kill_pid and len(acked) >= arguments.kill_after and control in kill_on:
                os.kill(arguments.kill_pid, signal.SIGKILL)
                print(f"killed {arguments.kill_pid} after {len(acked)} acknowledgements, at {control}", flush=True)
                arguments.kill_pid = None
        last = received.rfind(END)
        if last >= 0:
            received = received[last + 2 :]
    print(f"all {len(messages)} acknowledged", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
