import { open, mkdtemp, rm, rename, type FileHandle } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InputError } from '../contract/errors';
import type { PartnerResult, PartnerStatus } from '../contract/partners';
import { STATUS_ORDER } from '../report/partners';

/**
 * The answers of a run kept on disk, not in memory: each result is appended
 * to a temporary JSON Lines file as it arrives, and only its position, status
 * and input order are remembered. Outputs read them back in the order they
 * list partners (by status, then as in the input), one at a time.
 */
export class PartnerResultSpill {
  private readonly index: { offset: number; length: number; status: PartnerStatus; order: number; daysToExpiry: number | null }[] = [];
  private offset = 0;

  private constructor(private readonly folder: string, private readonly file: FileHandle) {}

  static async create(): Promise<PartnerResultSpill> {
    const folder = await mkdtemp(join(tmpdir(), 'mailflow-partners-'));
    return new PartnerResultSpill(folder, await open(join(folder, 'results.jsonl'), 'w+'));
  }

  get count(): number {
    return this.index.length;
  }

  /** `order`: the partner's place in the input list. */
  async add(result: PartnerResult, order: number): Promise<void> {
    const bytes = Buffer.from(`${JSON.stringify(result)}\n`, 'utf8');
    // The place is taken before the write: answers arrive from several workers at once.
    const offset = this.offset;
    this.offset += bytes.length;
    await this.file.write(bytes, 0, bytes.length, offset);
    this.index.push({ offset, length: bytes.length - 1, status: result.status, order, daysToExpiry: result.daysToExpiry });
  }

  /** Every result, ordered by status (the ones needing action first), then input order. */
  async *ordered(filter: (status: PartnerStatus, daysToExpiry: number | null) => boolean = () => true): AsyncGenerator<PartnerResult> {
    const rank = new Map(STATUS_ORDER.map((s, i) => [s, i]));
    const entries = this.index.filter((e) => filter(e.status, e.daysToExpiry)).sort((a, b) => (rank.get(a.status)! - rank.get(b.status)!) || a.order - b.order);
    for (const e of entries) {
      const buffer = Buffer.alloc(e.length);
      await this.file.read(buffer, 0, e.length, e.offset);
      yield JSON.parse(buffer.toString('utf8')) as PartnerResult;
    }
  }

  async dispose(): Promise<void> {
    await this.file.close().catch(() => undefined);
    await rm(this.folder, { recursive: true, force: true });
  }
}

/**
 * An output written to a temporary file beside the target and renamed once
 * complete, so an interrupted or failed run never leaves a half-written file.
 */
export async function writeAtomically(target: string, write: (chunk: (text: string) => Promise<void>) => Promise<void>): Promise<void> {
  const partial = `${target}.partial-${process.pid}`;
  let handle: FileHandle;
  try {
    handle = await open(partial, 'w');
  } catch (error) {
    throw new InputError(`${target}: cannot write (${(error as NodeJS.ErrnoException).code ?? 'error'})`, target);
  }
  try {
    await write(async (text) => { await handle.write(text); });
    await handle.close();
    await rename(partial, target);
  } catch (error) {
    await handle.close().catch(() => undefined);
    await rm(partial, { force: true });
    throw error;
  }
}
