/**
 * Pull and push progress, one line per layer as Docker prints it:
 * `a3ed95caeb02: Downloading [=====>      ]  1.2MB/5MB`. On a terminal the
 * lines are redrawn in place (ANSI cursor movement); otherwise one plain line
 * is written each time a layer's state changes.
 *
 * @module
 */
import { humanSize } from './size.js';
import { shortId } from './table.js';

/** One progress report about one layer (the shape `Image.pull`/`push` emit). */
export interface LayerProgress {
  /** Layer digest or ID; shown as its first 12 hex digits. */
  readonly id: string;
  /** Machine state such as `waiting`, `downloading`, `complete`, `exists`. */
  readonly state: string;
  /** Bytes done so far. */
  readonly current?: number;
  /** Bytes in all, when known. */
  readonly total?: number;
  /** Repository a blob was mounted from (push only). */
  readonly from?: string;
}

/** Where progress is written. */
export interface ProgressOutput {
  write(text: string): unknown;
}

const PULL_LABELS: Readonly<Record<string, string>> = {
  queued: 'Pulling fs layer',
  waiting: 'Waiting',
  downloading: 'Downloading',
  verifying: 'Verifying Checksum',
  downloaded: 'Download complete',
  extracting: 'Extracting',
  complete: 'Pull complete',
  done: 'Pull complete',
  exists: 'Already exists',
};

const PUSH_LABELS: Readonly<Record<string, string>> = {
  queued: 'Preparing',
  preparing: 'Preparing',
  waiting: 'Waiting',
  pushing: 'Pushing',
  uploading: 'Pushing',
  complete: 'Pushed',
  done: 'Pushed',
  pushed: 'Pushed',
  exists: 'Layer already exists',
  mounted: 'Mounted from',
};

const BAR_CELLS = 50;
const WITH_BAR = new Set(['downloading', 'extracting', 'pushing', 'uploading']);

/** Docker's progress bar and byte counts: `[====>     ]  1.2MB/5MB`; empty when nothing is known. */
export function renderBar(current: number | undefined, total: number | undefined): string {
  const cur = current ?? 0;
  if (cur <= 0 && (total === undefined || total <= 0)) return '';
  if (total === undefined || total <= 0) return humanSize(cur, 4).padStart(8);
  const filled = Math.min(BAR_CELLS, Math.floor((Math.min(cur, total) / total) * BAR_CELLS));
  const bar = `[${'='.repeat(filled)}>${' '.repeat(BAR_CELLS - filled)}]`;
  const numbers = cur > total ? '' : ` ${humanSize(cur, 4).padStart(8)}/${humanSize(total, 4)}`;
  return `${bar}${numbers}`;
}

/** Renders a stream of {@link LayerProgress} events for `pull` or `push`. */
export class ProgressRenderer {
  readonly #out: ProgressOutput;
  readonly #tty: boolean;
  readonly #labels: Readonly<Record<string, string>>;
  /** Layer IDs in the order their lines appear (terminal mode). */
  readonly #order: string[] = [];
  /** Last state label printed per layer. */
  readonly #last = new Map<string, string>();

  /**
   * @param out - where to write (usually `process.stdout`).
   * @param options - `tty`: redraw lines in place; `mode`: which words to use.
   */
  constructor(out: ProgressOutput, options: { tty: boolean; mode?: 'pull' | 'push' }) {
    this.#out = out;
    this.#tty = options.tty;
    this.#labels = options.mode === 'push' ? PUSH_LABELS : PULL_LABELS;
  }

  /** Writes a line that belongs to no layer, such as `latest: Pulling from library/ubuntu`. */
  message(text: string): void {
    this.#out.write(`${text}\n`);
  }

  /** Takes one event and updates that layer's line. */
  update(event: LayerProgress): void {
    const id = shortId(event.id);
    const label = this.label(event);
    const bar = WITH_BAR.has(event.state) ? renderBar(event.current, event.total) : '';
    const text = `${id}: ${label}${bar === '' ? '' : ` ${bar}`}`;
    if (!this.#tty) {
      if (this.#last.get(id) !== label) this.#out.write(`${id}: ${label}\n`);
      this.#last.set(id, label);
      return;
    }
    this.#last.set(id, label);
    const index = this.#order.indexOf(id);
    if (index < 0) {
      this.#order.push(id);
      this.#out.write(`${text}\n`);
      return;
    }
    const up = this.#order.length - index;
    this.#out.write(`\x1b[${up}A\r\x1b[2K${text}\r\x1b[${up}B`);
  }

  private label(event: LayerProgress): string {
    const known = this.#labels[event.state];
    if (known === 'Mounted from') return event.from === undefined ? 'Mounted' : `Mounted from ${event.from}`;
    if (known !== undefined) return known;
    const words = event.state.replace(/[-_]+/g, ' ');
    return words.charAt(0).toUpperCase() + words.slice(1);
  }
}
