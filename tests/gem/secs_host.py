"""A minimal SECS/GEM host (HSMS-SS active side) for testing the equipment, standard library only.

Items are Python values tagged with their SECS-II format: ('L', [..]), ('A', 'text'), ('B', bytes),
('BOOLEAN', [..]), ('U4', [..]), ('I2', [..]), ('F8', [..]) and so on.
"""

import socket
import struct
import time

FORMATS = {'L': 0o00, 'B': 0o10, 'BOOLEAN': 0o11, 'A': 0o20, 'I8': 0o30, 'I1': 0o31, 'I2': 0o32, 'I4': 0o34,
           'F8': 0o40, 'F4': 0o44, 'U8': 0o50, 'U1': 0o51, 'U2': 0o52, 'U4': 0o54}
CODES = {code: name for name, code in FORMATS.items()}
PACK = {'I8': '>q', 'I1': '>b', 'I2': '>h', 'I4': '>i', 'F8': '>d', 'F4': '>f', 'U8': '>Q', 'U1': '>B', 'U2': '>H',
        'U4': '>I'}


def encode(item):
    name, value = item
    if name == 'L':
        data, length = b''.join(encode(child) for child in value), len(value)
    elif name == 'A':
        data = value.encode('latin-1')
        length = len(data)
    elif name in ('B', 'BOOLEAN'):
        data = bytes(value)
        length = len(data)
    else:
        data = b''.join(struct.pack(PACK[name], v) for v in value)
        length = len(data)
    size = 1 if length <= 0xFF else 2 if length <= 0xFFFF else 3
    return bytes([(FORMATS[name] << 2) | size]) + length.to_bytes(size, 'big') + data


def decode(data):
    item, end = _decode(data, 0)
    if end != len(data):
        raise ValueError('bytes left after the item')
    return item


def _decode(data, at):
    name = CODES[data[at] >> 2]
    size = data[at] & 3
    length = int.from_bytes(data[at + 1:at + 1 + size], 'big')
    at += 1 + size
    if name == 'L':
        items = []
        for _ in range(length):
            child, at = _decode(data, at)
            items.append(child)
        return (name, items), at
    raw = data[at:at + length]
    if len(raw) != length:
        raise ValueError('item truncated')
    if name == 'A':
        return (name, raw.decode('latin-1')), at + length
    if name in ('B', 'BOOLEAN'):
        return (name, raw), at + length
    width = struct.calcsize(PACK[name])
    return (name, [struct.unpack(PACK[name], raw[i:i + width])[0] for i in range(0, length, width)]), at + length


class Message:
    def __init__(self, header, body):
        self.session, = struct.unpack('>H', header[0:2])
        self.byte2, self.byte3, self.ptype, self.stype = header[2], header[3], header[4], header[5]
        self.system, = struct.unpack('>I', header[6:10])
        self.header = header
        self.body = body

    @property
    def stream(self):
        return self.byte2 & 0x7F

    @property
    def function(self):
        return self.byte3

    @property
    def wbit(self):
        return bool(self.byte2 & 0x80)

    def item(self):
        return decode(self.body) if self.body else None

    def __repr__(self):
        return 'S%dF%d stype=%d sys=%#x %r' % (self.stream, self.function, self.stype, self.system, self.body[:40])


class Host:
    """One HSMS-SS connection. Every wait is bounded by a deadline."""

    def __init__(self, port, timeout=30.0):
        self.sock = socket.create_connection(('127.0.0.1', port), timeout=timeout)
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.timeout = timeout
        self.buffer = b''
        self.system = 1
        self.inbox = []   # primaries from the equipment that no call has taken yet

    def close(self):
        self.sock.close()

    def raw(self, data):
        self.sock.sendall(data)

    def send(self, stream, function, item=None, wbit=True, stype=0, ptype=0, session=0, byte2=None, byte3=None,
             system=None):
        if system is None:
            system = self.system
            self.system += 1
        body = encode(item) if item is not None else b''
        b2 = byte2 if byte2 is not None else (stream | (0x80 if wbit else 0))
        b3 = byte3 if byte3 is not None else function
        header = struct.pack('>HBBBBI', session, b2, b3, ptype, stype, system)
        self.raw(struct.pack('>I', len(header) + len(body)) + header + body)
        return system

    def read(self, deadline=None):
        """The next message, or None when the connection closed; raises TimeoutError at the deadline."""
        deadline = deadline or time.monotonic() + self.timeout
        while True:
            if len(self.buffer) >= 4:
                length, = struct.unpack('>I', self.buffer[:4])
                if len(self.buffer) >= 4 + length:
                    header, body = self.buffer[4:14], self.buffer[14:4 + length]
                    self.buffer = self.buffer[4 + length:]
                    return Message(header, body)
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError('no message from the equipment in time')
            self.sock.settimeout(left)
            try:
                chunk = self.sock.recv(65536)
            except socket.timeout:
                raise TimeoutError('no message from the equipment in time')
            if not chunk:
                return None
            self.buffer += chunk

    def _answer(self, message):
        """Replies to the equipment's own primaries (S6F11, S5F1) as a host does."""
        if message.stype == 5:  # linktest.req
            self.send(0, 0, stype=6, session=0xFFFF, byte2=0, byte3=0, system=message.system)
        elif message.stype == 0 and message.wbit and message.function % 2 == 1:
            if message.stream == 6 and message.function == 11:
                self.send(6, 12, ('B', [0]), wbit=False, system=message.system)
            elif message.stream == 5 and message.function == 1:
                self.send(5, 2, ('B', [0]), wbit=False, system=message.system)

    def reply_to(self, system, timeout=None):
        """The message answering `system`; primaries arriving meanwhile are answered and kept."""
        deadline = time.monotonic() + (timeout or self.timeout)
        while True:
            message = self.read(deadline)
            if message is None:
                raise ConnectionError('the equipment closed the connection')
            if message.system == system and not (message.stype == 0 and message.function % 2 == 1
                                                 and message.stream != 9):
                return message
            self._answer(message)
            if message.stype == 0 and (message.function % 2 == 1 or message.stream == 9):
                self.inbox.append(message)

    def transact(self, stream, function, item=None, **kwargs):
        return self.reply_to(self.send(stream, function, item, **kwargs))

    def wait_for(self, predicate, timeout):
        """The first kept or new primary from the equipment that satisfies `predicate`."""
        for i, message in enumerate(self.inbox):
            if predicate(message):
                return self.inbox.pop(i)
        deadline = time.monotonic() + timeout
        while True:
            message = self.read(deadline)
            if message is None:
                raise ConnectionError('the equipment closed the connection')
            self._answer(message)
            if predicate(message):
                return message
            if message.stype == 0:
                self.inbox.append(message)

    def select(self):
        system = self.send(0, 0, stype=1, session=0xFFFF, byte2=0, byte3=0)
        reply = self.read()
        assert reply is not None and reply.stype == 2 and reply.system == system, reply
        return reply.byte3
