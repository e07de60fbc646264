// Notification modes of CRE_CYC / CRE_ALM (3rd-gen spec, "notification"): how many words each takes.
import type { KernelConstants } from './kernel-constants.js';

/** A decoded nfymode: how many normal and error-notification parameters it takes. */
export interface NotificationMode {
  readonly normal: string;
  readonly error: string | undefined;
  readonly normalWords: number;
  readonly errorWords: number;
}

/**
 * Decode `nfymode` (normal mode in bits 0-3, error mode in bits 4-7). Returns a message when the
 * value names no mode or combines TNFY_HANDLER with an error notification (the spec allows
 * error notification only with the other modes). Word counts follow the spec's T_NFYINFO.
 */
export function decodeNotificationMode(nfymode: bigint, k: KernelConstants): NotificationMode | string {
  const normals: [string, bigint, number][] = [
    ['TNFY_HANDLER', k.get('TNFY_HANDLER'), 2],
    ['TNFY_SETVAR', k.get('TNFY_SETVAR'), 2],
    ['TNFY_INCVAR', k.get('TNFY_INCVAR'), 1],
    ['TNFY_ACTTSK', k.get('TNFY_ACTTSK'), 1],
    ['TNFY_WUPTSK', k.get('TNFY_WUPTSK'), 1],
    ['TNFY_SIGSEM', k.get('TNFY_SIGSEM'), 1],
    ['TNFY_SETFLG', k.get('TNFY_SETFLG'), 2],
    ['TNFY_SNDDTQ', k.get('TNFY_SNDDTQ'), 2],
  ];
  const errors: [string, bigint, number][] = [
    ['TENFY_SETVAR', k.get('TENFY_SETVAR'), 1],
    ['TENFY_INCVAR', k.get('TENFY_INCVAR'), 1],
    ['TENFY_ACTTSK', k.get('TENFY_ACTTSK'), 1],
    ['TENFY_WUPTSK', k.get('TENFY_WUPTSK'), 1],
    ['TENFY_SIGSEM', k.get('TENFY_SIGSEM'), 1],
    ['TENFY_SETFLG', k.get('TENFY_SETFLG'), 2],
    ['TENFY_SNDDTQ', k.get('TENFY_SNDDTQ'), 1],
  ];
  if (nfymode < 0n || nfymode > 0xffn) return `nfymode 0x${nfymode.toString(16)} is not a notification mode`;
  const n = normals.find(([, v]) => v === (nfymode & 0x0fn));
  if (n === undefined) return `nfymode 0x${nfymode.toString(16)}: no normal notification mode 0x${(nfymode & 0x0fn).toString(16)}`;
  const errBits = nfymode & 0xf0n;
  if (errBits === 0n) return { normal: n[0], error: undefined, normalWords: n[2], errorWords: 0 };
  const e = errors.find(([, v]) => v === errBits);
  if (e === undefined) return `nfymode 0x${nfymode.toString(16)}: no error notification mode 0x${errBits.toString(16)}`;
  if (n[0] === 'TNFY_HANDLER') return 'TNFY_HANDLER cannot be combined with an error notification';
  return { normal: n[0], error: e[0], normalWords: n[2], errorWords: e[2] };
}
