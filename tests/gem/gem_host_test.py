#!/usr/bin/env python3
"""The equipment's SECS/GEM interface driven by an independent host, against the real program.

usage: gem_host_test.py WAFERSCOPE_BINARY RECIPES_DIR [lot|robustness|constants|all]

lot:        a headless program waits for its host; the host selects, establishes communications,
            reads status, goes on-line remote, sees a simulator fault's alarm set and cleared (S5F1),
            is refused a START with a bad PPID, starts a two-wafer lot of the quick recipe and follows
            its S6F11 events to completion; the program then prints its summary and exits 0.
robustness: malformed traffic (bad length, data before select, unknown stream and function, a wrong
            device id, a truncated item, a non-zero PType, an undefined SType) after each of which the
            equipment still answers; then S1F1 at 500/s for 10 s with the round trip's p50/p99 printed.
constants:  equipment constants (S2F29 names and ranges, S2F15 refused out of range and accepted in
            range, S2F13 reads it back), process program download (S7F3 of a bad recipe refused with
            its reason, of a good one stored, listed by S7F19, returned by S7F5), spooling (a fault's
            alarm set and cleared while the host is away, delivered in order on S6F23), and the
            constant and the recipe still there after the program is started again.
"""

import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from secs_host import Host  # noqa: E402

CAMERA_FAULT_AT_S = 8


class Equipment:
    """The program under test, with its stderr collected on a thread."""

    def __init__(self, binary, args, data_dir):
        env = dict(os.environ, QT_QPA_PLATFORM='offscreen', XDG_CONFIG_HOME=data_dir, XDG_DATA_HOME=data_dir)
        self.started = time.monotonic()
        self.process = subprocess.Popen([binary, '--headless', '--gem-port', '0', '--out', data_dir] + args,
                                        stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, text=True)
        self.lines = []
        self.port = None
        self.ready = threading.Event()
        threading.Thread(target=self._read_stderr, daemon=True).start()
        if not self.ready.wait(60):
            self.process.kill()
            raise AssertionError('the program did not say where it listens:\n' + ''.join(self.lines))
        if self.port is None:
            raise AssertionError('the program ended before listening:\n' + ''.join(self.lines))

    def _read_stderr(self):
        for line in self.process.stderr:
            self.lines.append(line)
            found = re.search(r'GEM host link on 127\.0\.0\.1:(\d+)', line)
            if found:
                self.port = int(found.group(1))
                self.ready.set()
        self.ready.set()

    def stop(self):
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def check(condition, what):
    if not condition:
        raise AssertionError(what)
    print('ok   ' + what, flush=True)


def ascii_of(item):
    return item[1] if item and item[0] == 'A' else None


def expect_alive(host, after):
    reply = host.transact(1, 1, ('L', []))
    check(reply.stream == 1 and reply.function == 2, 'the equipment still answers S1F1 after ' + after)


def expect_s9(host, function, system, what):
    message = host.wait_for(lambda m: m.stype == 0 and m.stream == 9, 10)
    check(message.function == function, '%s gets S9F%d (got S9F%d)' % (what, function, message.function))
    mhead = message.item()[1]
    check(len(mhead) == 10 and int.from_bytes(mhead[6:10], 'big') == system,
          'S9F%d carries the offending header (system bytes %#x)' % (function, system))


def run_lot(binary, recipes):
    with tempfile.TemporaryDirectory() as data:
        fault = 'camera-disconnect:start=%ds,duration=2s' % CAMERA_FAULT_AT_S
        equipment = Equipment(binary, ['--recipe', os.path.join(recipes, 'quick-200mm.json'),
                                       '--gem-initial-control', 'host-offline', '--fault', fault], data)
        try:
            host = Host(equipment.port)
            system = host.send(1, 1, ('L', []))
            reject = host.read()
            check(reject.stype == 7 and reject.byte3 == 4 and reject.system == system,
                  'data before select gets reject.req reason 4 (entity not selected)')
            check(host.select() == 0, 'select.req is accepted')
            check(host.transact(1, 1, ('L', [])).function == 0, 'S1F1 before S1F13 is aborted (S1F0)')
            reply = host.transact(1, 13, ('L', []))
            check(reply.function == 14 and reply.item()[1][0] == ('B', b'\x00'), 'S1F13 establishes (COMMACK 0)')
            check(host.transact(1, 1, ('L', [])).function == 0, 'S1F1 while host off-line is aborted (S1F0)')
            check(host.transact(1, 3, ('L', [('U4', [2])])).function == 0, 'S1F3 while host off-line: S1F0')
            reply = host.transact(1, 17)
            check(reply.item() == ('B', b'\x00'), 'S1F17 brings it on-line (ONLACK 0)')
            online = host.wait_for(lambda m: m.stream == 6 and m.function == 11, 10)
            check(online.item()[1][1] == ('U4', [4]), 'S6F11 CEID 4 reports on-line remote')
            check(host.transact(1, 17).item() == ('B', b'\x02'), 'a second S1F17 says already on-line (ONLACK 2)')
            values = host.transact(1, 3, ('L', [('U4', [2]), ('U4', [4]), ('U4', [13]), ('U4', [999])])).item()[1]
            check(values[0] == ('U1', [5]), 'S1F3 ControlState is 5 (on-line remote)')
            check(values[1] == ('U1', [0]), 'S1F3 ProcessState is 0 (idle)')
            check(values[2] == ('A', 'WAFERSCOPE'), 'S1F3 MDLN')
            check(values[3] == ('L', []), 'S1F3 of an unknown SVID is a zero-length item')
            names = host.transact(1, 11, ('L', [])).item()[1]
            check(any(entry[1][1] == ('A', 'ControlState') for entry in names), 'S1F11 names the SVs')
            alarms = host.transact(5, 5, ('L', [])).item()[1]
            table = {ascii_of(entry[1][2]): entry[1][1][1][0] for entry in alarms}
            print('     alarms: %s' % table)
            camera = table.get('Camera disconnected')
            check(camera is not None, 'S5F6 lists the camera alarm')
            programs = [ascii_of(p) for p in host.transact(7, 19).item()[1]]
            check('quick-200mm.json' in programs, 'S7F20 lists the recipes as PPIDs')

            connected_at = time.monotonic() - equipment.started
            check(connected_at < CAMERA_FAULT_AT_S, 'on-line %.1f s after start, before the fault' % connected_at)
            set_report = host.wait_for(lambda m: m.stream == 5 and m.function == 1 and m.item()[1][1] == ('U4', [camera]),
                                       60)
            check(set_report.item()[1][0][1][0] & 0x80, 'S5F1 reports the camera alarm set (ALCD bit 8)')
            clear = host.wait_for(lambda m: m.stream == 5 and m.function == 1 and m.item()[1][1] == ('U4', [camera]),
                                  60)
            check(not clear.item()[1][0][1][0] & 0x80, 'S5F1 reports it cleared')

            def start(lot, ppid, wafers):
                return host.transact(2, 41, ('L', [('A', 'START'), ('L', [
                    ('L', [('A', 'LOTID'), ('A', lot)]), ('L', [('A', 'PPID'), ('A', ppid)]),
                    ('L', [('A', 'WAFERS'), ('U1', [wafers])])])])).item()[1]

            refused = start('HOSTLOT', '../etc/passwd', 2)
            check(refused[0] == ('B', b'\x03') and refused[1][1] == [('L', [('A', 'PPID'), ('B', b'\x02')])],
                  'START with a PPID outside the recipe folder: HCACK 3, CPACK 2 for PPID')
            unknown = host.transact(2, 41, ('L', [('A', 'DANCE'), ('L', [])])).item()[1]
            check(unknown[0] == ('B', b'\x01'), 'an unknown RCMD: HCACK 1')
            check(host.transact(2, 41, ('L', [('A', 'PAUSE'), ('L', [])])).item()[1][0] == ('B', b'\x02'),
                  'PAUSE with no run: HCACK 2')
            accepted = start('HOSTLOT', 'quick-200mm.json', 2)
            check(accepted[0] == ('B', b'\x04'), 'START of the quick recipe: HCACK 4 (completion by event)')
            busy = start('HOSTLOT2', 'quick-200mm.json', 1)
            check(busy[0] == ('B', b'\x02'), 'a second START while the first runs: HCACK 2')

            ceids, last = [], None
            started = time.monotonic()
            while time.monotonic() - started < 300:
                event = host.wait_for(lambda m: m.stream == 6 and m.function == 11, 300)
                item = event.item()[1]
                ceid = item[1][1][0]
                ceids.append(ceid)
                last = item[2][1][0][1][1][1]
                if ceid in (14, 15, 16, 20):
                    break
            print('     events: %s' % ceids)
            check(ceids[0] == 11 and 12 in ceids and ceids[-1] == 14,
                  'S6F11 events follow the lot: checking, running, …, completed')
            check(ceids.count(12) == 2, 'one running event per wafer')
            check(last[4] == ('A', 'HOSTLOT') and last[5] == ('A', 'quick-200mm.json'),
                  'the completion report names the lot and the PPID')
            check(last[6] == ('U4', [2]) and last[7] == ('U4', [2]), 'the report says wafer 2 of 2')
            output, _ = equipment.process.communicate(timeout=120)
            check(equipment.process.returncode == 0, 'the headless program exits 0 after the host\'s lot')
            check('"lot": "HOSTLOT"' in output and '"state": "completed"' in output,
                  'its summary is the host\'s lot, completed')
            host.close()
        finally:
            equipment.stop()


def run_robustness(binary, recipes):
    with tempfile.TemporaryDirectory() as data:
        equipment = Equipment(binary, ['--recipe', os.path.join(recipes, 'quick-200mm.json'),
                                       '--gem-initial-control', 'remote'], data)
        try:
            bad = Host(equipment.port)
            bad.raw(b'\x00\x00\x00\x03abc')
            check(bad.read() is None, 'a length under 10 bytes closes that connection')
            bad.close()

            host = Host(equipment.port)
            check(host.select() == 0, 'a new connection selects')
            check(host.transact(1, 13, ('L', [])).function == 14, 'and establishes communications')
            expect_alive(host, 'a new connection')

            second = Host(equipment.port)
            check(second.select() == 1, 'a second connection cannot select while one is selected (status 1)')
            second.close()

            expect_s9(host, 3, host.send(99, 1, ('L', [])), 'an unknown stream')
            expect_alive(host, 'S9F3')
            expect_s9(host, 5, host.send(1, 99, ('L', [])), 'an unknown function')
            expect_alive(host, 'S9F5')
            expect_s9(host, 1, host.send(1, 1, ('L', []), session=7), 'a wrong device id')
            expect_alive(host, 'S9F1')
            system = host.system
            host.system += 1
            host.raw(b'\x00\x00\x00\x0d' + bytes([0, 0, 0x81, 3, 0, 0]) + system.to_bytes(4, 'big') + b'\x01\x05\x41')
            expect_s9(host, 7, system, 'a truncated item')
            expect_alive(host, 'S9F7')
            expect_s9(host, 7, host.send(2, 41, ('A', 'START')), 'S2F41 whose body is not L[2]')
            expect_alive(host, 'a malformed S2F41')
            system = host.send(1, 1, ptype=5)
            reject = host.wait_for(lambda m: m.stype == 7, 10)
            check(reject.byte3 == 2 and reject.system == system, 'a non-zero PType gets reject.req reason 2')
            system = host.send(0, 0, stype=8, session=0xFFFF, byte2=0, byte3=0)
            reject = host.wait_for(lambda m: m.stype == 7, 10)
            check(reject.byte3 == 1 and reject.system == system, 'an undefined SType gets reject.req reason 1')
            expect_alive(host, 'the rejects')
            linktest = host.send(0, 0, stype=5, session=0xFFFF, byte2=0, byte3=0)
            check(host.read().stype == 6, 'linktest.req is answered')
            check(host.transact(2, 41, ('L', [('A', 'ABORT'), ('L', [])])).item()[1][0] == ('B', b'\x02'),
                  'ABORT with no run: HCACK 2')
            del linktest

            # Load: S1F1 at 500 a second for 10 s, each round trip timed.
            rate, seconds = 500, 10
            times = []
            begin = time.monotonic()
            for i in range(rate * seconds):
                due = begin + i / rate
                now = time.monotonic()
                if due > now:
                    time.sleep(due - now)
                sent = time.monotonic()
                reply = host.transact(1, 1, ('L', []))
                times.append(time.monotonic() - sent)
                if reply.function != 2:
                    raise AssertionError('S1F1 #%d got S1F%d' % (i, reply.function))
            elapsed = time.monotonic() - begin
            times.sort()
            p50 = times[len(times) // 2] * 1000
            p99 = times[int(len(times) * 0.99)] * 1000
            print('     load: %d S1F1 in %.1f s (%.0f/s); round trip p50 %.2f ms, p99 %.2f ms, max %.2f ms'
                  % (len(times), elapsed, len(times) / elapsed, p50, p99, times[-1] * 1000), flush=True)
            check(len(times) == rate * seconds, 'every S1F1 of the load was answered')
            check(p99 < 1000, 'p99 round trip under the sanity bound of 1 s')
            host.send(0, 0, stype=9, session=0xFFFF, byte2=0, byte3=0)
            check(host.read() is None, 'separate.req closes the connection')
            again = Host(equipment.port)
            check(again.select() == 0, 'and the equipment accepts the next one')
            again.close()
            check(equipment.process.poll() is None, 'the program is still running')
        finally:
            equipment.stop()


ECID_T3 = 1001
SV_SPOOL_COUNT = 15
SPOOL_FAULT_AT_S = 20


def wait_for_line(equipment, pattern, timeout):
    """The first stderr line matching `pattern`, waiting for it at most `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for line in list(equipment.lines):
            if re.search(pattern, line):
                return line
        if equipment.process.poll() is not None:
            break
        time.sleep(0.05)
    raise AssertionError('no line matching %r in time:\n%s' % (pattern, ''.join(equipment.lines[-40:])))


def open_session(port):
    host = Host(port)
    check(host.select() == 0, 'select.req is accepted')
    check(host.transact(1, 13, ('L', [])).function == 14, 'S1F13 establishes communications')
    return host


def set_t3(host, value):
    return host.transact(2, 15, ('L', [('L', [('U4', [ECID_T3]), ('U4', [value])])])).item()[1]


def t3(host):
    return host.transact(2, 13, ('L', [('U4', [ECID_T3])])).item()[1][0]


def run_constants(binary, recipes):
    with tempfile.TemporaryDirectory() as data, tempfile.TemporaryDirectory() as folder:
        programs = os.path.join(folder, 'recipes')
        shutil.copytree(recipes, programs)
        fault = 'camera-disconnect:start=%ds,duration=2s' % SPOOL_FAULT_AT_S
        equipment = Equipment(binary, ['--recipes', programs, '--gem-initial-control', 'remote', '--fault', fault],
                              data)
        try:
            host = open_session(equipment.port)
            names = host.transact(2, 29, ('L', [])).item()[1]
            entry = next(e[1] for e in names if e[1][0] == ('U4', [ECID_T3]))
            check(entry[1] == ('A', 'T3') and entry[5] == ('A', 's'), 'S2F30 names T3 (ECID %d), in seconds' % ECID_T3)
            low, high, default = entry[2][1][0], entry[3][1][0], entry[4][1][0]
            check(low <= default <= high, 'S2F30 gives T3 a range %d–%d s and its default %d s' % (low, high, default))
            check(set_t3(host, high + 1) == b'\x03', 'S2F15 of T3 above its range: EAC 3')
            check(t3(host) == ('U4', [default]), 'and T3 is unchanged')
            value = default - 15 if default - 15 >= low else low
            check(set_t3(host, value) == b'\x00', 'S2F15 of T3 = %d s in range: EAC 0' % value)
            check(t3(host) == ('U4', [value]), 'S2F13 reads T3 back as %d' % value)
            changed = host.wait_for(lambda m: m.stream == 6 and m.function == 11, 10)
            check(changed.item()[1][1] == ('U4', [30]), 'the change is reported: S6F11 CEID 30')

            # The recipe's text is UTF-8 (not all ASCII): it goes as B, the text's bytes.
            with open(os.path.join(recipes, 'quick-200mm.json'), 'rb') as f:
                good = f.read()
            bad = good.replace(b'"schemaVersion"', b'"schemaVersionTypo"', 1)
            ack = host.transact(7, 3, ('L', [('A', 'host-bad.json'), ('B', bad)])).item()[1]
            check(ack == b'\x05', 'S7F3 of a recipe that fails validation: ACKC7 5 (refused)')
            line = wait_for_line(equipment, r'S7F3 PPID host-bad\.json refused', 10)
            check('schemaVersion' in line, 'the refusal names what is wrong: ' + line.strip()[-120:])
            check(not os.path.exists(os.path.join(programs, 'host-bad.json')), 'and nothing is stored')
            ack = host.transact(7, 3, ('L', [('A', '../host-escape.json'), ('B', good)])).item()[1]
            check(ack == b'\x01', 'S7F3 of a PPID outside the recipe folder: ACKC7 1')
            ack = host.transact(7, 3, ('L', [('A', 'host-good.json'), ('B', good)])).item()[1]
            check(ack == b'\x00', 'S7F3 of a good recipe: ACKC7 0')
            listed = [ascii_of(p) for p in host.transact(7, 19).item()[1]]
            check('host-good.json' in listed and 'host-bad.json' not in listed, 'S7F20 lists the downloaded recipe')
            uploaded = host.transact(7, 5, ('A', 'host-good.json')).item()[1]
            check(uploaded[1] == ('A', good.decode('latin-1')), 'S7F6 returns its bytes as they were sent')

            away_at = time.monotonic() - equipment.started
            check(away_at < SPOOL_FAULT_AT_S, 'the host leaves %.1f s after start, before the fault' % away_at)
            host.close()
            wait_for_line(equipment, r'S5F1 spooled \(2 in the spool\)', SPOOL_FAULT_AT_S + 60)
            host = open_session(equipment.port)
            count = host.transact(1, 3, ('L', [('U4', [SV_SPOOL_COUNT])])).item()[1][0]
            check(count == ('U4', [2]), 'SpoolCountActual: the alarm set and cleared while away are spooled')
            check(host.transact(6, 23, ('U1', [0])).item()[1] == b'\x00', 'S6F23 transmit: RSDA 0')
            first = host.wait_for(lambda m: m.stream == 5 and m.function == 1, 10).item()[1]
            second = host.wait_for(lambda m: m.stream == 5 and m.function == 1, 10).item()[1]
            check(first[1] == second[1] and first[0][1][0] & 0x80 and not second[0][1][0] & 0x80,
                  'the spooled S5F1 arrive in order: alarm %s set, then cleared' % (first[1][1],))
            count = host.transact(1, 3, ('L', [('U4', [SV_SPOOL_COUNT])])).item()[1][0]
            check(count == ('U4', [0]), 'and the spool is empty')
            host.close()
        finally:
            equipment.stop()

        equipment = Equipment(binary, ['--recipes', programs], data)
        try:
            check(re.search(r'GEM host link on .*remote\)', ''.join(equipment.lines)) is not None,
                  'started again without --gem-initial-control, the kept constant starts it on-line remote')
            host = open_session(equipment.port)
            check(t3(host) == ('U4', [value]), 'T3 is still %d s after the restart' % value)
            listed = [ascii_of(p) for p in host.transact(7, 19).item()[1]]
            check('host-good.json' in listed, 'and the downloaded recipe is still listed')
            host.close()
        finally:
            equipment.stop()


def main():
    binary, recipes = sys.argv[1], sys.argv[2]
    which = sys.argv[3] if len(sys.argv) > 3 else 'all'
    if which in ('lot', 'all'):
        run_lot(binary, recipes)
    if which in ('robustness', 'all'):
        run_robustness(binary, recipes)
    if which in ('constants', 'all'):
        run_constants(binary, recipes)
    print('all checks passed')


if __name__ == '__main__':
    main()
