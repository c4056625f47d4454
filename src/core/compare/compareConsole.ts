// Splits a compare run's console into turns (one side, one round), each read by its own
// ConsoleParser, so every turn has its own insmod/rmmod results, module log lines and kernel
// problem reports. A whole-run parser sees everything too, for boot and timeout verdicts.
import { ConsoleParser } from '../qemu/consoleParser';
import { MARKER } from '../qemu/initScript';
import { OUTPUT_MARKER, type Side } from './guestInit';

export interface Turn {
  round: number;
  side: Side;
  parser: ConsoleParser;
  /** The workload's output lines, in order. */
  output: string[];
  /** Every console line of the turn, for the report. */
  console: string[];
  ended: boolean;
}

export interface FtraceProbe {
  available: boolean;
  tracers: string[];
}

export class CompareConsole {
  readonly whole = new ConsoleParser([]);
  readonly turns: Turn[] = [];
  ftrace: FtraceProbe | undefined;
  finished = false;
  private current: Turn | undefined;

  constructor(private readonly names: Readonly<Record<Side, string>>) {}

  push(rawLine: string, atMs: number): void {
    this.whole.push(rawLine, atMs);
    const at = rawLine.indexOf(MARKER);
    const marker = at >= 0 ? rawLine.slice(at + MARKER.length) : undefined;
    if (marker?.startsWith('cmp-begin ')) {
      const fields = new Map(
        marker
          .split(/\s+/)
          .slice(1)
          .map((pair) => pair.split('=', 2) as [string, string]),
      );
      const side = fields.get('side') === 'b' ? 'b' : 'a';
      this.current = {
        round: Number(fields.get('round')),
        side,
        parser: new ConsoleParser([this.names[side]]),
        output: [],
        console: [],
        ended: false,
      };
      this.turns.push(this.current);
      return;
    }
    if (marker?.startsWith('cmp-ftrace ')) {
      const fields = new Map(
        marker
          .split(/\s+/)
          .slice(1)
          .map((pair) => pair.split('=', 2) as [string, string]),
      );
      this.ftrace = { available: fields.get('available') === '1', tracers: (fields.get('tracers') ?? '').split(',').filter(Boolean) };
      return;
    }
    if (marker === 'cmp-finished') {
      this.finished = true;
      return;
    }
    const turn = this.current;
    if (!turn) return;
    if (marker?.startsWith('cmp-end')) {
      turn.ended = true;
      this.current = undefined;
      return;
    }
    turn.console.push(rawLine);
    if (at >= 0 && rawLine.slice(at).startsWith(OUTPUT_MARKER)) {
      turn.output.push(rawLine.slice(at + OUTPUT_MARKER.length));
      return;
    }
    turn.parser.push(rawLine, atMs);
  }

  /** The turn running when the VM stopped, if one was cut short. */
  get unfinishedTurn(): Turn | undefined {
    return this.current;
  }
}
