// Configuration rules with the spec's error codes: duplicates, attributes, ranges, interrupt wiring.
import { objectNameParam, type BoundCall } from './api-table.js';
import { cfgError, type CfgError, type SourceLocation } from './diagnostic.js';
import { isNullPointerText } from './evaluate.js';
import type { KernelConstantName, KernelConstants } from './kernel-constants.js';
import { decodeNotificationMode } from './notification.js';
import type { ExprParam } from './parse.js';
import type { TargetRules } from './target.js';

/** The integer value of an evaluated parameter, or undefined (unknown: already reported). */
export type ValueOf = (param: ExprParam) => bigint | undefined;

/** What the checks need besides the calls. */
export interface CheckContext {
  readonly valueOf: ValueOf;
  readonly k: KernelConstants;
  readonly target: TargetRules;
}

/**
 * Check every bound static API against the TOPPERS 3rd-generation kernel integrated
 * specification's static-API error conditions (the [NGKIxxxx] rules of each CRE_/CFG_/DEF_/ATT_
 * API) as this kernel implements them. Returns errors in order of appearance; a parameter whose
 * value is unknown is skipped (its evaluation error is reported elsewhere).
 */
export function checkConfiguration(calls: readonly BoundCall[], ctx: CheckContext): CfgError[] {
  const errors: CfgError[] = [];
  const { k, target } = ctx;
  const names = new Map<string, SourceLocation>();
  const cfgInt = new Map<bigint, SourceLocation>();
  const defInh = new Map<bigint, SourceLocation>();
  const defExc = new Map<bigint, SourceLocation>();
  const isrIntnos: { intno: bigint; at: SourceLocation; name: string }[] = [];
  const inhIntnos: { intno: bigint; at: SourceLocation; inhno: bigint }[] = [];
  let defIcs: SourceLocation | undefined;

  for (const b of calls) {
    const api = b.spec.name;
    const idParam = objectNameParam(b.spec);
    const idName = idParam !== undefined ? b.expr.get(idParam)?.text : undefined;
    const who = idName !== undefined ? `${api}(${idName})` : api;
    const e = (at: SourceLocation, code: CfgError['code'], msg: string): void => {
      errors.push(cfgError(at, code, `${who}: ${msg}`));
    };
    const param = (name: string): ExprParam | undefined => b.expr.get(name);
    const value = (name: string): bigint | undefined => {
      const pe = param(name);
      return pe ? ctx.valueOf(pe) : undefined;
    };
    /** Attribute check: only the named bits may be set [NGKIxxxx: E_RSATR]. */
    const bitsOnly = (name: string, allowed: KernelConstantName[], extra = 0n): void => {
      const v = value(name);
      if (v === undefined) return;
      const mask = allowed.reduce((m, a) => m | k.get(a), extra);
      if ((v & ~mask) !== 0n || v < 0n) {
        const what = allowed.length === 0 ? 'only TA_NULL is allowed' : `allowed: ${['TA_NULL', ...allowed].join(', ')}`;
        e(param(name)!, 'E_RSATR', `${name} 0x${v.toString(16)} has reserved attributes (${what})`);
      }
    };
    const range = (name: string, min: bigint, max: bigint, what = name): bigint | undefined => {
      const v = value(name);
      if (v === undefined) return undefined;
      if (v < min || v > max) {
        e(param(name)!, 'E_PAR', `${what} ${v} is out of range (${min}..${max})`);
        return undefined;
      }
      return v;
    };
    const mustBeNull = (name: string, why: string): void => {
      const pe = param(name);
      if (pe && !isNullPointerText(pe.text)) e(pe, 'E_NOSPT', `${name} must be NULL: ${why}`);
    };

    // Object names share the C macro namespace of kernel_cfg.h [NGKI: duplicate ID is E_OBJ].
    if (idName !== undefined) {
      const prev = names.get(idName);
      const at = param(idParam!)!;
      if (prev) e(at, 'E_OBJ', `object name '${idName}' is already defined at ${prev.file}:${prev.line}`);
      else names.set(idName, { file: at.file, line: at.line });
    }

    switch (api) {
      case 'CRE_TSK': {
        bitsOnly('tskatr', ['TA_ACT', 'TA_NOACTQUE']);
        range('itskpri', k.get('TMIN_TPRI'), k.get('TMAX_TPRI'), 'itskpri (initial priority)');
        const stksz = value('stksz');
        if (stksz !== undefined) {
          const min = target.minStackSize();
          if (stksz <= 0n) e(param('stksz')!, 'E_PAR', `stksz ${stksz}: the stack size must be positive`);
          else if (stksz < min) e(param('stksz')!, 'E_PAR', `stksz ${stksz} is too small (at least ${min} bytes)`);
        }
        break;
      }
      case 'CRE_SEM': {
        bitsOnly('sematr', ['TA_TPRI']);
        const maxsem = range('maxsem', 1n, k.get('TMAX_MAXSEM'), 'maxsem (maximum count)');
        const isemcnt = value('isemcnt');
        if (isemcnt !== undefined && (isemcnt < 0n || (maxsem !== undefined && isemcnt > maxsem))) {
          e(param('isemcnt')!, 'E_PAR', `isemcnt ${isemcnt} is out of range (0..${maxsem ?? 'maxsem'})`);
        }
        break;
      }
      case 'CRE_FLG': {
        bitsOnly('flgatr', ['TA_TPRI', 'TA_WMUL', 'TA_CLR']);
        const bits = k.get('TBIT_FLGPTN');
        const v = value('iflgptn');
        if (v !== undefined && (v < 0n || v >> bits !== 0n)) {
          e(param('iflgptn')!, 'E_PAR', `iflgptn 0x${v.toString(16)} does not fit in FLGPTN (${bits} bits)`);
        }
        break;
      }
      case 'CRE_DTQ': {
        bitsOnly('dtqatr', ['TA_TPRI']);
        range('dtqcnt', 0n, 0xffffffffn, 'dtqcnt (capacity)');
        mustBeNull('dtqmb', 'the configurator allocates the data queue area');
        break;
      }
      case 'CRE_PDQ': {
        bitsOnly('pdqatr', ['TA_TPRI']);
        range('pdqcnt', 0n, 0xffffffffn, 'pdqcnt (capacity)');
        range('maxdpri', k.get('TMIN_DPRI'), k.get('TMAX_DPRI'), 'maxdpri (maximum data priority)');
        mustBeNull('pdqmb', 'the configurator allocates the priority data queue area');
        break;
      }
      case 'CRE_MTX': {
        const atr = value('mtxatr');
        const ok = [k.get('TA_NULL'), k.get('TA_TPRI'), k.get('TA_CEILING')];
        if (atr !== undefined && !ok.includes(atr)) {
          e(param('mtxatr')!, 'E_RSATR', `mtxatr 0x${atr.toString(16)} is not TA_NULL, TA_TPRI or TA_CEILING`);
        }
        if (atr !== undefined && atr === k.get('TA_CEILING')) {
          if (!param('ceilpri')) e(b.call, 'E_PAR', 'TA_CEILING needs ceilpri (the ceiling priority)');
          else range('ceilpri', k.get('TMIN_TPRI'), k.get('TMAX_TPRI'), 'ceilpri (ceiling priority)');
        }
        break;
      }
      case 'CRE_MPF': {
        bitsOnly('mpfatr', ['TA_TPRI']);
        range('blkcnt', 1n, 0xffffffffn, 'blkcnt (block count)');
        range('blksz', 1n, 0xffffffffn, 'blksz (block size)');
        mustBeNull('mpf', 'the configurator allocates the pool area');
        mustBeNull('mpfmb', 'the configurator allocates the management area');
        break;
      }
      case 'CRE_CYC':
      case 'CRE_ALM': {
        if (api === 'CRE_CYC') {
          bitsOnly('cycatr', ['TA_STA']);
          range('cyctim', 1n, k.get('TMAX_RELTIM'), 'cyctim (period)');
          range('cycphs', 0n, k.get('TMAX_RELTIM'), 'cycphs (phase)');
        } else {
          bitsOnly('almatr', []);
        }
        const nfy = b.notification;
        if (nfy) {
          const mode = ctx.valueOf(nfy.nfymode);
          if (mode !== undefined) {
            const d = decodeNotificationMode(mode, k);
            if (typeof d === 'string') e(nfy.nfymode, 'E_PAR', `nfyinfo: ${d}`);
            else {
              const want = d.normalWords + d.errorWords;
              if (nfy.words.length !== want) {
                const modeText = d.error ? `${d.normal}|${d.error}` : d.normal;
                e(nfy, 'E_PAR', `nfyinfo: ${modeText} takes ${want} parameter${want === 1 ? '' : 's'} after nfymode, ${nfy.words.length} given`);
              }
            }
          }
        }
        break;
      }
      case 'CFG_INT': {
        const intno = value('intno');
        if (intno !== undefined) {
          if (!target.validIntno(intno)) {
            e(param('intno')!, 'E_PAR', `interrupt number ${intno} does not exist on target ${target.target.name} (${target.intnoRange()})`);
          } else {
            const prev = cfgInt.get(intno);
            if (prev) e(b.call, 'E_OBJ', `interrupt number ${intno} is already configured at ${prev.file}:${prev.line}`);
            else cfgInt.set(intno, b.call);
          }
        }
        bitsOnly('intatr', ['TA_ENAINT', 'TA_EDGE'], target.target.extraIntAttributes);
        range('intpri', k.get('TMIN_INTPRI'), k.get('TMAX_INTPRI'), 'intpri (interrupt priority)');
        break;
      }
      case 'DEF_INH': {
        const inhno = value('inhno');
        if (target.target.supportsNonKernelInterrupts) bitsOnly('inhatr', ['TA_NONKERNEL']);
        else bitsOnly('inhatr', []);
        if (inhno !== undefined) {
          if (!target.validInhno(inhno)) {
            e(param('inhno')!, 'E_PAR', `interrupt handler number ${inhno} does not exist on target ${target.target.name} (${target.inhnoRange()})`);
          } else {
            const prev = defInh.get(inhno);
            if (prev) e(b.call, 'E_OBJ', `interrupt handler number ${inhno} is already defined at ${prev.file}:${prev.line}`);
            else {
              defInh.set(inhno, b.call);
              inhIntnos.push({ intno: target.target.inhnoToIntno(inhno), at: b.call, inhno });
            }
          }
        }
        break;
      }
      case 'CRE_ISR': {
        bitsOnly('isratr', []);
        const intno = value('intno');
        if (intno !== undefined) {
          if (!target.validIntno(intno)) {
            e(param('intno')!, 'E_PAR', `interrupt number ${intno} does not exist on target ${target.target.name} (${target.intnoRange()})`);
          } else isrIntnos.push({ intno, at: b.call, name: idName ?? '' });
        }
        range('isrpri', k.get('TMIN_ISRPRI'), k.get('TMAX_ISRPRI'), 'isrpri (ISR priority)');
        break;
      }
      case 'DEF_EXC': {
        bitsOnly('excatr', []);
        const excno = value('excno');
        if (excno !== undefined) {
          if (!target.validExcno(excno)) {
            e(param('excno')!, 'E_PAR', `CPU exception handler number ${excno} does not exist on target ${target.target.name} (${target.excnoRange()})`);
          } else {
            const prev = defExc.get(excno);
            if (prev) e(b.call, 'E_OBJ', `CPU exception handler number ${excno} is already defined at ${prev.file}:${prev.line}`);
            else defExc.set(excno, b.call);
          }
        }
        break;
      }
      case 'DEF_ICS': {
        if (defIcs) e(b.call, 'E_OBJ', `the non-task-context stack is already defined at ${defIcs.file}:${defIcs.line}`);
        else defIcs = b.call;
        const v = value('istksz');
        const min = target.minIstackSize();
        if (v !== undefined && (v <= 0n || v < min)) e(param('istksz')!, 'E_PAR', `istksz ${v} is too small (at least ${min} bytes)`);
        break;
      }
      case 'ATT_INI':
        bitsOnly('iniatr', []);
        break;
      case 'ATT_TER':
        bitsOnly('teratr', []);
        break;
      default:
        break;
    }
  }

  // Interrupt wiring, once every CFG_INT is known (they may come after the ISR / handler).
  for (const isr of isrIntnos) {
    if (!cfgInt.has(isr.intno)) {
      errors.push(cfgError(isr.at, 'E_OBJ', `CRE_ISR(${isr.name}): interrupt number ${isr.intno} has no CFG_INT`));
    }
    const inh = inhIntnos.find((h) => h.intno === isr.intno);
    if (inh) {
      errors.push(cfgError(isr.at, 'E_OBJ', `CRE_ISR(${isr.name}): interrupt number ${isr.intno} already has an interrupt handler (DEF_INH at ${inh.at.file}:${inh.at.line})`));
    }
  }
  for (const h of inhIntnos) {
    if (!cfgInt.has(h.intno)) {
      errors.push(cfgError(h.at, 'E_OBJ', `DEF_INH: interrupt handler number ${h.inhno} serves interrupt number ${h.intno}, which has no CFG_INT`));
    }
  }
  return errors;
}
