/** Turns the image options of `shikiri run` into one loader result for the board. */

import type { BoardDescription } from '../machine/board-description.js';
import { detectImage } from '../machine/loaders/detect.js';
import { loadElf } from '../machine/loaders/elf.js';
import type { LoadResult } from '../machine/loaders/entry.js';
import { ImageError } from '../machine/loaders/image-error.js';
import { defaultLinuxCommandLine, loadLinux } from '../machine/loaders/linux-bzimage.js';
import { loadMultiboot } from '../machine/loaders/multiboot.js';
import { loadRaw } from '../machine/loaders/raw.js';
import { loadRom } from '../machine/loaders/rom.js';
import { EXIT_CODES } from '../machine/run-report.js';
import { UsageError } from './args.js';
import { CliError } from './cli-error.js';

/** The image options of a run (one of kernel, multiboot, rom, loads). */
export interface ImageRequest {
  kernel?: string;
  multiboot?: string;
  rom?: string;
  loads: { file: string; address: number }[];
  entry?: number;
  append?: string;
  initrd?: string;
  modules: string[];
}

/**
 * Load the requested images. `read` returns a file's bytes (or throws a CliError); loader
 * failures become CliErrors with the image exit code and the loader's located message.
 */
export function loadImages(req: ImageRequest, board: BoardDescription, read: (file: string) => Uint8Array): LoadResult {
  try {
    return loadInner(req, board, read);
  } catch (e) {
    if (e instanceof ImageError) throw new CliError(e.message, EXIT_CODES.image);
    throw e;
  }
}

function loadInner(req: ImageRequest, board: BoardDescription, read: (file: string) => Uint8Array): LoadResult {
  const modules = () => req.modules.map((file) => ({ file, bytes: read(file), string: file }));
  if (req.rom !== undefined) return loadRom(read(req.rom), req.rom, board.memory);
  if (req.multiboot !== undefined) return loadMultiboot(read(req.multiboot), req.multiboot, board.memory, { commandLine: req.append ?? '', modules: modules() });
  if (req.loads.length) {
    if (req.loads.length > 1) throw new UsageError('only one --load image is supported per run');
    const { file, address } = req.loads[0];
    return loadRaw(read(file), file, board.memory, { address, entry: req.entry });
  }
  if (req.kernel === undefined) throw new UsageError('no image given');
  const bytes = read(req.kernel);
  const kind = detectImage(bytes, req.kernel);
  switch (kind) {
    case 'bzimage':
    case 'vmlinux': {
      const commandLine = [defaultLinuxCommandLine(board), req.append].filter(Boolean).join(' ');
      const initrd = req.initrd !== undefined ? { file: req.initrd, bytes: read(req.initrd) } : undefined;
      return loadLinux(bytes, req.kernel, board.memory, { commandLine, initrd });
    }
    case 'multiboot':
      return loadMultiboot(bytes, req.kernel, board.memory, { commandLine: req.append ?? '', modules: modules() });
    case 'elf':
      return loadElf(bytes, req.kernel, board.memory);
  }
}
