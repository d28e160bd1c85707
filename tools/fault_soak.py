#!/usr/bin/env python3
"""A paced lot with random simulator faults, driven by a GEM host, watched for leaks.

usage: tools/fault_soak.py [--binary FILE] [--wafers N] [--fps F] [--faults N] [--seed S]
                           [--interval S] [--out DIR] [--report FILE]
       tools/fault_soak.py --rerender DIR [--report FILE]

Starts `waferscope --headless` with its GEM link on loopback and a recipe made from the default one
(300 mm, 1024 × 1024 frames, every die) whose simulator runs at --fps and whose every fault action is
`pause`. A timeline of --faults random faults (every kind the simulator has, random start and a
duration of 2–8 s, one in each equal slice of the lot's expected length) is planned with --fault.

The tool is the fab's host: it selects, establishes communications, goes on-line remote, starts the
lot (S2F41 START), follows the alarm reports (S5F1) and the run's events (S6F11), and resumes a run
paused by an alarm (S2F41 RESUME) once every alarm it saw set has cleared — what an unattended cell
does. Meanwhile it samples the program every --interval seconds: resident set size and thread count
(/proc/<pid>/status), open file descriptors (/proc/<pid>/fd), and the database's size (inspection.db
with its WAL).

It prints the figures and writes <out>/samples.csv, <out>/summary.json (the program's own summary),
<out>/soak.json and <out>/report.md. With --report FILE the section "## Soak with random faults" of
that Markdown file is replaced by the report (added at its end when missing); tools/bench_report.py
keeps that section when it rewrites docs/benchmarks.md. --rerender writes the report again from an
earlier run's folder, without running anything.

Exit status: 0 when the lot completed with balanced books, every fault that raised an alarm paused the
run and was resumed, and nothing grew without bound (file descriptors back to their level after
warm-up); 1 otherwise; 2 for bad arguments.
"""

import argparse
import json
import os
import random
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, 'tests', 'gem'))
from secs_host import Host  # noqa: E402

RECIPE_NAME = 'fault-soak.json'
SECTION = '## Soak with random faults'

# Each kind with the parameter that makes it a real fault for the default recipe's limits.
FAULT_KINDS = {
    'heartbeat-stop': '',
    'vacuum-drop': ',kpa=20',
    'camera-disconnect': '',
    'frame-loss': ',fraction=0.5',
    'frame-jitter': ',max=40ms',
    'encoder-error': '',
    'following-error': ',um=50',
    'illumination-degrade': ',factor=0.4',
}

CEID_CHECKING, CEID_RUNNING, CEID_PAUSED = 11, 12, 13
CEID_ENDS = {14: 'completed', 15: 'aborted', 16: 'failed', 20: 'refused'}
# Bounds of every wait: a lot may take at most this many times its expected length (pauses included).
LOT_TIME_FACTOR = 3.0
LOT_TIME_SLACK_S = 600.0


def fail(message):
    print('fault_soak.py: ' + message, file=sys.stderr)
    sys.exit(2)


def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--binary', default=os.path.join(ROOT, 'build/default/app/waferscope'))
    parser.add_argument('--wafers', type=int, default=25)
    parser.add_argument('--fps', type=float, default=20.0)
    parser.add_argument('--faults', type=int, default=12)
    parser.add_argument('--seed', type=int, default=None, help='the fault plan\'s seed (default: chosen and printed)')
    parser.add_argument('--interval', type=float, default=5.0)
    parser.add_argument('--out', default=None)
    parser.add_argument('--report', default=None, help='a Markdown file whose soak section is replaced')
    parser.add_argument('--rerender', metavar='DIR', default=None,
                        help='write the report again from the soak.json and samples.csv of an earlier --out DIR')
    args = parser.parse_args(argv)
    if args.rerender:
        return args
    if not os.access(args.binary, os.X_OK):
        fail('no program at %s (build the waferscope target)' % args.binary)
    if not 1 <= args.wafers <= 25:
        fail('--wafers: %d is not 1…25' % args.wafers)
    if not 0.5 <= args.fps <= 200:
        fail('--fps: %g is not 0.5…200' % args.fps)
    if not 0 <= args.faults <= 100:
        fail('--faults: %d is not 0…100' % args.faults)
    if not 0.5 <= args.interval <= 60:
        fail('--interval: %g is not 0.5…60 s' % args.interval)
    if args.seed is None:
        args.seed = random.SystemRandom().randrange(1, 2 ** 31)
    return args


def environment(data):
    return dict(os.environ, QT_QPA_PLATFORM='offscreen', XDG_CONFIG_HOME=data, XDG_DATA_HOME=data)


def write_recipe(folder, fps):
    with open(os.path.join(ROOT, 'resources/recipes/default.json'), encoding='utf-8') as file:
        recipe = json.load(file)
    recipe['name'] = 'fault-soak'
    recipe['description'] = ('The default recipe at %g frames per second with every fault action "pause", '
                             'for tools/fault_soak.py.' % fps)
    recipe['simulator']['framesPerSecond'] = fps
    recipe['faultActions'] = {key: 'pause' for key in recipe['faultActions']}
    os.makedirs(folder, exist_ok=True)
    path = os.path.join(folder, RECIPE_NAME)
    with open(path, 'w', encoding='utf-8') as file:
        json.dump(recipe, file, indent=2)
    return path


def frames_per_wafer(binary, recipe, scratch):
    """One unpaced wafer of the recipe, to learn how many frames a wafer takes."""
    data = os.path.join(scratch, 'probe')
    os.makedirs(data)
    probe = subprocess.run([binary, '--headless', '--recipe', recipe, '--lot', 'PROBE', '--wafers', '1',
                            '--unpaced', '--out', data], capture_output=True, text=True, timeout=600,
                           env=environment(data), check=False)
    if probe.returncode != 0:
        fail('the probe wafer did not complete (exit %d):\n%s' % (probe.returncode, probe.stderr[-2000:]))
    frames = json.loads(probe.stdout)['frames']
    return int(frames['slots'])


def plan_faults(count, seed, lot_seconds):
    """`count` faults, one in each equal slice of the lot after its first 15 s, kinds in turn from a
    shuffled list so that every kind comes up once before any comes up twice."""
    rng = random.Random(seed)
    first, span = 15.0, max(lot_seconds - 15.0, 1.0)
    kinds = []
    plan = []
    for index in range(count):
        if not kinds:
            kinds = list(FAULT_KINDS)
            rng.shuffle(kinds)
        kind = kinds.pop()
        slice_start = first + span * index / count
        duration = rng.uniform(2.0, 8.0)
        start = slice_start + rng.uniform(0.0, max(span / count - duration, 0.0))
        plan.append({'kind': kind, 'start_s': round(start, 1), 'duration_s': round(duration, 1),
                     'spec': '%s:start=%.1fs,duration=%.1fs%s' % (kind, start, duration, FAULT_KINDS[kind])})
    return plan


class Sampler(threading.Thread):
    """Samples the program's RSS, threads, open files and database size until it exits."""

    def __init__(self, pid, data, interval, started):
        super().__init__(daemon=True)
        self.pid, self.data, self.interval, self.started = pid, data, interval, started
        self.rows = []
        self.stop = threading.Event()

    def sample(self):
        status = {}
        with open('/proc/%d/status' % self.pid, encoding='ascii') as file:
            for line in file:
                key, _, value = line.partition(':')
                status[key] = value.strip()
        fds = len(os.listdir('/proc/%d/fd' % self.pid))
        database = sum(os.path.getsize(os.path.join(self.data, name))
                       for name in ('inspection.db', 'inspection.db-wal')
                       if os.path.exists(os.path.join(self.data, name)))
        return {'seconds': round(time.monotonic() - self.started, 1),
                'rss_kb': int(status['VmRSS'].split()[0]), 'threads': int(status['Threads']),
                'fds': fds, 'database_bytes': database}

    def run(self):
        while not self.stop.is_set():
            try:
                self.rows.append(self.sample())
            except (OSError, KeyError, ValueError):
                return  # the program has exited
            self.stop.wait(self.interval)


class Equipment:
    """The program under test, its stderr read on a thread until it says where its GEM link listens."""

    def __init__(self, binary, args, data):
        self.process = subprocess.Popen([binary, '--headless', '--gem-port', '0', '--out', data] + args,
                                        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                        env=environment(data))
        self.lines = []
        self.port = None
        self.ready = threading.Event()
        threading.Thread(target=self._read_stderr, daemon=True).start()
        if not self.ready.wait(60) or self.port is None:
            self.process.kill()
            raise RuntimeError('the program did not say where its GEM link listens:\n' + ''.join(self.lines))

    def _read_stderr(self):
        for line in self.process.stderr:
            self.lines.append(line)
            found = re.search(r'GEM host link on 127\.0\.0\.1:(\d+)', line)
            if found and self.port is None:
                self.port = int(found.group(1))
                self.ready.set()
        self.ready.set()


def bring_online(host):
    if host.select() != 0:
        raise RuntimeError('select.req refused')
    reply = host.transact(1, 13, ('L', []))
    if reply.function != 14 or reply.item()[1][0] != ('B', b'\x00'):
        raise RuntimeError('S1F13 refused: %r' % (reply.item(),))
    if host.transact(1, 17).item() not in (('B', b'\x00'), ('B', b'\x02')):
        raise RuntimeError('S1F17 refused')


def remote_command(host, rcmd, parameters=()):
    body = ('L', [('A', rcmd), ('L', [('L', [('A', name), value]) for name, value in parameters])])
    return host.transact(2, 41, body).item()[1][0][1][0]


class Cell:
    """The host's view of the lot: alarms set, the run's state, and what it did about them."""

    def __init__(self, started):
        self.started = started
        self.active_alarms = set()
        self.last_alarm_change = 0.0
        self.paused_since = None
        self.end = None
        self.alarms = []        # (seconds, ALID, set?)
        self.pauses = []        # {'paused_s', 'resumed_s'}
        self.wafers_started = 0

    def now(self):
        return round(time.monotonic() - self.started, 1)

    def take(self, message):
        if message.stype != 0:
            return
        if message.stream == 5 and message.function == 1:
            body = message.item()[1]
            alcd, alid = body[0][1][0], body[1][1][0]
            is_set = bool(alcd & 0x80)
            (self.active_alarms.add if is_set else self.active_alarms.discard)(alid)
            self.last_alarm_change = time.monotonic()
            self.alarms.append((self.now(), alid, is_set))
        elif message.stream == 6 and message.function == 11:
            ceid = message.item()[1][1][1][0]
            if ceid == CEID_PAUSED and self.paused_since is None:
                self.paused_since = time.monotonic()
                self.pauses.append({'paused_s': self.now(), 'resumed_s': None})
            elif ceid == CEID_RUNNING:
                if self.paused_since is not None:
                    self.pauses[-1]['resumed_s'] = self.now()
                    self.paused_since = None
            elif ceid == CEID_CHECKING:
                self.wafers_started += 1
            elif ceid in CEID_ENDS:
                self.end = CEID_ENDS[ceid]

    def should_resume(self):
        quiet = time.monotonic() - max(self.last_alarm_change, self.paused_since or 0.0)
        return self.paused_since is not None and not self.active_alarms and quiet >= 1.0


def drive_lot(host, cell, wafers, deadline):
    bring_online(host)
    hcack = remote_command(host, 'START', [('LOTID', ('A', 'SOAK')), ('PPID', ('A', RECIPE_NAME)),
                                           ('WAFERS', ('U1', [wafers]))])
    if hcack != 4:
        raise RuntimeError('S2F41 START refused: HCACK %d' % hcack)
    resumes_refused = 0
    while cell.end is None:
        if time.monotonic() > deadline:
            raise TimeoutError('the lot did not end within its bound')
        while host.inbox:
            cell.take(host.inbox.pop(0))
        if cell.should_resume():
            hcack = remote_command(host, 'RESUME')
            if hcack not in (0, 4, 5):
                resumes_refused += 1
            cell.paused_since = None if hcack == 5 else cell.paused_since
            if hcack == 4:
                cell.last_alarm_change = time.monotonic()  # wait for the running event before asking again
            continue
        try:
            message = host.read(time.monotonic() + 1.0)
        except TimeoutError:
            continue
        if message is None:
            raise ConnectionError('the equipment closed the GEM link')
        host._answer(message)  # pylint: disable=protected-access
        cell.take(message)
    return resumes_refused


def median_between(rows, key, low, high):
    values = [r[key] for r in rows if low <= r['seconds'] < high]
    return statistics.median(values) if values else float('nan')


def figures(args, plan, cell, rows, summary, status, lot_seconds_expected, resumes_refused):
    mb = lambda kb: kb / 1024.0  # noqa: E731
    end = rows[-1]['seconds']
    warm_at = min(60.0, end / 4)
    rss_first = median_between(rows, 'rss_kb', warm_at, warm_at + 60)
    rss_last = median_between(rows, 'rss_kb', end - 60, end + 1)
    minutes = max((end - 30 - (warm_at + 30)) / 60.0, 1e-9)
    warm_rows = [r for r in rows if r['seconds'] >= warm_at]
    fds_warm = (warm_rows or rows)[0]['fds']
    threads_warm = (warm_rows or rows)[0]['threads']
    defects = (summary.get('defects') or {}).get('stored') or 0
    db_end = rows[-1]['database_bytes']
    alarm_faults = sum(1 for f in plan if f['kind'] != 'frame-jitter')
    resumed = sum(1 for p in cell.pauses if p['resumed_s'] is not None)
    return {
        'seed': args.seed, 'wafers': args.wafers, 'simulator_fps': args.fps, 'interval_s': args.interval,
        'faults_planned': plan, 'faults_with_an_alarm_rule': alarm_faults,
        'lot_seconds_expected': round(lot_seconds_expected), 'seconds': end,
        'exit_status': status, 'run_state': summary.get('state'), 'reason': summary.get('reason'),
        'host_saw_end': cell.end, 'wafers_started': cell.wafers_started,
        'ledger_balances': summary.get('ledger_balances'), 'frames': summary.get('frames'),
        'defects': summary.get('defects'), 'alarms_raised': summary.get('alarms_raised'),
        'alarm_reports': len(cell.alarms), 'pauses': cell.pauses, 'pauses_resumed': resumed,
        'resumes_refused': resumes_refused,
        'rss_start_mb': mb(rows[0]['rss_kb']), 'rss_end_mb': mb(rows[-1]['rss_kb']),
        'rss_max_mb': mb(max(r['rss_kb'] for r in rows)), 'rss_baseline_first_mb': mb(rss_first),
        'rss_baseline_last_mb': mb(rss_last), 'rss_baseline_growth_mb_per_min': mb(rss_last - rss_first) / minutes,
        'fds_start': rows[0]['fds'], 'fds_after_warm_up': fds_warm, 'fds_max': max(r['fds'] for r in rows),
        'fds_end': rows[-1]['fds'], 'threads_start': rows[0]['threads'], 'threads_after_warm_up': threads_warm,
        'threads_max': max(r['threads'] for r in rows), 'threads_end': rows[-1]['threads'],
        'database_start_bytes': rows[0]['database_bytes'], 'database_end_bytes': db_end,
        'database_max_bytes': max(r['database_bytes'] for r in rows),
        'database_bytes_per_defect': db_end / defects if defects else None,
        'samples': len(rows),
    }


def verdicts(soak):
    """(passed, text) for each promise of the soak."""
    out = []
    out.append((soak['run_state'] == 'completed' and soak['ledger_balances'] is True and soak['exit_status'] == 0,
                'the lot completed with balanced books (state %s, ledger %s, exit %s)'
                % (soak['run_state'], soak['ledger_balances'], soak['exit_status'])))
    pauses, resumed = len(soak['pauses']), soak['pauses_resumed']
    out.append((pauses == resumed and soak['resumes_refused'] == 0,
                'every pause was resumed by the host (%d paused, %d resumed, %d resumes refused)'
                % (pauses, resumed, soak['resumes_refused'])))
    out.append((soak['fds_end'] <= soak['fds_after_warm_up'] + 2,
                'open files back to their level (after warm-up %d, max %d, end %d)'
                % (soak['fds_after_warm_up'], soak['fds_max'], soak['fds_end'])))
    first, last = soak['rss_baseline_first_mb'], soak['rss_baseline_last_mb']
    out.append((last - first < 0.05 * first,
                'memory flat: the RSS baseline went %.1f → %.1f MB (%+.2f MB/min; less than 5 %% growth asked)'
                % (first, last, soak['rss_baseline_growth_mb_per_min'])))
    out.append((soak['threads_end'] <= soak['threads_after_warm_up'] + 2,
                'threads back to their level (at start %d, after warm-up %d, max %d, end %d)'
                % (soak['threads_start'], soak['threads_after_warm_up'], soak['threads_max'], soak['threads_end'])))
    return out


def markdown(soak, rows, command, load_before, load_after):
    frames = soak['frames'] or {}
    defects = soak['defects'] or {}
    lines = [SECTION, '',
             'A paced lot with random simulator faults, the program run as a fab runs it: headless, its GEM '
             'host (the tool) resuming each run the faults pause. Command: `%s`; load average %s before, %s '
             'after. Seed %d.' % (command, load_before, load_after, soak['seed']), '',
             '| fault | at | for | paused at | resumed at |', '|---|--:|--:|--:|--:|']
    pauses = list(soak['pauses'])
    for fault in soak['faults_planned']:
        # The tool's clock starts a little after the machine's power-on, so a pause may read as
        # slightly before its fault.
        pause = next((p for p in pauses
                      if fault['start_s'] - 2 <= p['paused_s'] <= fault['start_s'] + fault['duration_s'] + 5), None)
        if pause:
            pauses.remove(pause)
        lines.append('| %s | %.1f s | %.1f s | %s | %s |' % (
            fault['kind'], fault['start_s'], fault['duration_s'],
            '%.1f s' % pause['paused_s'] if pause else '–',
            '%.1f s' % pause['resumed_s'] if pause and pause['resumed_s'] is not None else '–'))
    lines += ['', 'Fault times are from the machine\'s power-on; pause and resume times from the moment the program '
              'said where its GEM link listens, a little later. frame-jitter has no alarm rule and pauses nothing.', '',
              '| figure | value |', '|---|--:|',
              '| wafers, simulator frame rate | %d, %g frames/s |' % (soak['wafers'], soak['simulator_fps']),
              '| length (expected without faults) | %.1f min (%.1f min) |' % (soak['seconds'] / 60,
                                                                         soak['lot_seconds_expected'] / 60),
              '| run | %s, ledger balances: %s, exit %s |' % (soak['run_state'], soak['ledger_balances'],
                                                             soak['exit_status']),
              '| frame slots / processed / dropped | %s / %s / %s |' % (
                  frames.get('slots', '–'), frames.get('processed', '–'),
                  sum((frames.get('dropped') or {}).values()) if frames else '–'),
              '| defects detected / stored / in KLARF | %s / %s / %s |' % (
                  defects.get('detected', '–'), defects.get('stored', '–'), defects.get('in_klarf', '–')),
              '| alarms raised (S5F1 reports) | %s (%d) |' % (soak['alarms_raised'], soak['alarm_reports']),
              '| pauses / resumed by the host | %d / %d |' % (len(soak['pauses']), soak['pauses_resumed']),
              '| RSS start → end (max) | %.1f → %.1f MB (%.1f MB) |' % (soak['rss_start_mb'], soak['rss_end_mb'],
                                                                    soak['rss_max_mb']),
              '| RSS baseline, first → last minute | %.1f → %.1f MB (%+.2f MB/min) |' % (
                  soak['rss_baseline_first_mb'], soak['rss_baseline_last_mb'], soak['rss_baseline_growth_mb_per_min']),
              '| open file descriptors start / after warm-up / max / end | %d / %d / %d / %d |' % (
                  soak['fds_start'], soak['fds_after_warm_up'], soak['fds_max'], soak['fds_end']),
              '| threads start / after warm-up / max / end | %d / %d / %d / %d |' % (
                  soak['threads_start'], soak['threads_after_warm_up'], soak['threads_max'], soak['threads_end']),
              '| database with WAL, start → end (max) | %.2f → %.2f MB (%.2f MB) |' % (
                  soak['database_start_bytes'] / 1e6, soak['database_end_bytes'] / 1e6,
                  soak['database_max_bytes'] / 1e6),
              '| database bytes per stored defect | %s |' % (
                  '%.0f' % soak['database_bytes_per_defect'] if soak['database_bytes_per_defect'] else '–'),
              '']
    lines += ['Over time (a sample a minute, of every %g s taken):' % soak['interval_s'], '',
              '| t | RSS | threads | open files | database with WAL |', '|--:|--:|--:|--:|--:|']
    next_at = 0.0
    for row in rows:
        if row['seconds'] >= next_at or row is rows[-1]:
            lines.append('| %.0f s | %.1f MB | %d | %d | %.2f MB |' % (
                row['seconds'], row['rss_kb'] / 1024.0, row['threads'], row['fds'], row['database_bytes'] / 1e6))
            next_at = row['seconds'] + 60.0
    lines.append('')
    for passed, text in verdicts(soak):
        lines.append('- **%s** — %s.' % ('MET' if passed else 'MISSED', text))
    lines.append('')
    return '\n'.join(lines)


def replace_section(path, text):
    existing = ''
    if os.path.exists(path):
        with open(path, encoding='utf-8') as file:
            existing = file.read()
    start = existing.find(SECTION + '\n')
    if start < 0:
        updated = existing.rstrip('\n') + '\n\n' + text if existing else text
    else:
        after = existing.find('\n## ', start + len(SECTION))
        updated = existing[:start] + text + ('\n' + existing[after + 1:] if after >= 0 else '')
    with open(path, 'w', encoding='utf-8') as file:
        file.write(updated)


def rerender(folder, report):
    with open(os.path.join(folder, 'soak.json'), encoding='utf-8') as file:
        soak = json.load(file)
    rows = []
    with open(os.path.join(folder, 'samples.csv'), encoding='utf-8') as file:
        next(file)
        for line in file:
            seconds, rss, threads, fds, database = line.strip().split(',')
            rows.append({'seconds': float(seconds), 'rss_kb': int(rss), 'threads': int(threads), 'fds': int(fds),
                         'database_bytes': int(database)})
    text = markdown(soak, rows, soak['command'], soak['load_before'], soak['load_after'])
    with open(os.path.join(folder, 'report.md'), 'w', encoding='utf-8') as file:
        file.write(text)
    print(text)
    if report:
        replace_section(report, text)
    return 0 if soak.get('problem') is None and all(passed for passed, _ in verdicts(soak)) else 1


def main(argv):
    args = parse_args(argv)
    if args.rerender:
        return rerender(args.rerender, args.report)
    command = 'tools/fault_soak.py' + ''.join(' ' + a for a in argv)
    out = args.out or tempfile.mkdtemp(prefix='waferscope-fault-soak.')
    if os.path.exists(os.path.join(out, 'data')):
        shutil.rmtree(os.path.join(out, 'data'))
    os.makedirs(out, exist_ok=True)
    recipes = os.path.join(out, 'recipes')
    recipe = write_recipe(recipes, args.fps)
    frames = frames_per_wafer(args.binary, recipe, tempfile.mkdtemp(dir=out))
    lot_seconds = args.wafers * frames / args.fps
    plan = plan_faults(args.faults, args.seed, lot_seconds)
    print('fault_soak.py: seed %d, %d frames a wafer, about %.1f min without faults; %d faults:'
          % (args.seed, frames, lot_seconds / 60, len(plan)), flush=True)
    for fault in plan:
        print('  ' + fault['spec'], flush=True)

    data = os.path.join(out, 'data')
    os.makedirs(data)
    load_before = open('/proc/loadavg', encoding='ascii').read().split()[0:3]
    fault_args = [a for fault in plan for a in ('--fault', fault['spec'])]
    # --recipe sets the simulated machine up from the soak recipe (its frame rate); the host's START
    # names the same recipe as its PPID.
    equipment = Equipment(args.binary, ['--recipe', recipe, '--recipes', recipes, '--gem-initial-control', 'host-offline',
                                        '--paused-limit', '600'] + fault_args, data)
    started = time.monotonic()
    sampler = Sampler(equipment.process.pid, data, args.interval, started)
    sampler.start()
    cell = Cell(started)
    deadline = started + lot_seconds * LOT_TIME_FACTOR + LOT_TIME_SLACK_S
    problem = None
    resumes_refused = 0
    try:
        host = Host(equipment.port)
        resumes_refused = drive_lot(host, cell, args.wafers, deadline)
        output, _ = equipment.process.communicate(timeout=300)
        host.close()
    except (RuntimeError, TimeoutError, ConnectionError, OSError, subprocess.TimeoutExpired) as error:
        problem = str(error)
        equipment.process.send_signal(signal.SIGTERM)
        output, _ = equipment.process.communicate(timeout=60)
    status = equipment.process.returncode
    sampler.stop.set()
    sampler.join(5)
    load_after = open('/proc/loadavg', encoding='ascii').read().split()[0:3]
    with open(os.path.join(out, 'stderr.log'), 'w', encoding='utf-8') as file:
        file.write(''.join(equipment.lines))
    with open(os.path.join(out, 'summary.json'), 'w', encoding='utf-8') as file:
        file.write(output)
    try:
        summary = json.loads(output)
    except ValueError:
        summary = {}
    rows = sampler.rows
    with open(os.path.join(out, 'samples.csv'), 'w', encoding='utf-8') as file:
        file.write('seconds,rss_kb,threads,fds,database_bytes\n')
        for r in rows:
            file.write('%s,%d,%d,%d,%d\n' % (r['seconds'], r['rss_kb'], r['threads'], r['fds'], r['database_bytes']))
    if not rows:
        print('fault_soak.py: no samples (the program ended at once); stderr in %s/stderr.log' % out, file=sys.stderr)
        return 1
    soak = figures(args, plan, cell, rows, summary, status, lot_seconds, resumes_refused)
    soak['problem'] = problem
    soak['command'] = command
    soak['load_before'] = ' '.join(load_before)
    soak['load_after'] = ' '.join(load_after)
    with open(os.path.join(out, 'soak.json'), 'w', encoding='utf-8') as file:
        json.dump(soak, file, indent=2)
    report = markdown(soak, rows, command, soak['load_before'], soak['load_after'])
    with open(os.path.join(out, 'report.md'), 'w', encoding='utf-8') as file:
        file.write(report)
    print(report)
    if problem:
        print('fault_soak.py: the host gave up: %s' % problem, file=sys.stderr)
    if args.report:
        replace_section(args.report, report)
        print('fault_soak.py: wrote the section to %s' % args.report)
    print('fault_soak.py: samples, summary and figures in %s' % out)
    return 0 if problem is None and all(passed for passed, _ in verdicts(soak)) else 1


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
