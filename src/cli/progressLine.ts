// Progress of long work on stderr. On a terminal one line is redrawn in place (at most a few times a
// second) and cleared when done; in a log (CI, a pipe) a line is printed at each phase and every
// 10 %, so the log shows progress without thousands of lines.
import { formatProgress, type PrepareProgress } from '../core/kernel/prepareProgress';

const REDRAW_MS = 250;

export interface ProgressLine {
  update(progress: PrepareProgress): void;
  /** Prints a message line without garbling the progress line. */
  message(text: string): void;
  done(): void;
}

export function progressLine(write: (text: string) => void, isTerminal: boolean): ProgressLine {
  let shown = '';
  let lastDraw = 0;
  let lastPhase = '';
  let lastTenth = -1;
  const clear = () => {
    if (shown) write(`\r${' '.repeat(shown.length)}\r`);
    shown = '';
  };
  return {
    update(progress) {
      const text = formatProgress(progress);
      if (isTerminal) {
        const now = Date.now();
        if (progress.phase === lastPhase && now - lastDraw < REDRAW_MS) return;
        lastDraw = now;
        lastPhase = progress.phase;
        clear();
        write(text);
        shown = text;
        return;
      }
      const tenth = Math.floor(progress.fraction * 10);
      if (progress.phase === lastPhase && tenth === lastTenth) return;
      lastPhase = progress.phase;
      lastTenth = tenth;
      write(`${text}\n`);
    },
    message(text) {
      const redraw = shown;
      clear();
      write(`${text}\n`);
      if (redraw) {
        write(redraw);
        shown = redraw;
      }
    },
    done() {
      clear();
    },
  };
}
