// The static APIs this kernel accepts: parameter lists, parameter kinds, object types (3rd-gen spec).
import { cfgError, type CfgError } from './diagnostic.js';
import type { ExprParam, Param, StaticApiCall } from './parse.js';

/**
 * How the configurator treats one parameter.
 * - `objectName`: the name of the object the call creates; becomes an ID macro.
 * - `number`: an object number given by value (INTNO, INHNO, EXCNO), evaluated and checked.
 * - `attribute`: an ATR value, evaluated and checked against the attributes allowed.
 * - `integer`: a signed integer (priorities), evaluated and range-checked.
 * - `unsigned`: an unsigned count, pattern or time, evaluated and range-checked.
 * - `size`: a size in bytes, evaluated and checked against the minimum.
 * - `expression`: a C expression passed through verbatim (entry point, exinf, pointer).
 * - `areaOrNull`: a pointer where NULL asks the configurator to allocate the area.
 * - `notification`: the T_NFYINFO group `{ nfymode, par... }` of CRE_CYC / CRE_ALM.
 * - `fileName`: a string literal (INCLUDE).
 */
export type ParamKind =
  | 'objectName'
  | 'number'
  | 'attribute'
  | 'integer'
  | 'unsigned'
  | 'size'
  | 'expression'
  | 'areaOrNull'
  | 'notification'
  | 'fileName';

/** One parameter as the spec names it. */
export interface ParamSpec {
  readonly name: string;
  readonly kind: ParamKind;
  /** May be left out at the end of its group (e.g. CRE_MTX's ceilpri). */
  readonly optional?: boolean;
}

/** A parameter list: parameters and `{ ... }` groups. */
export type ParamShape = ParamSpec | { readonly group: readonly ParamShape[] };

/** Kernel object types created with an ID (CRE_xxx). */
export type ObjectType = 'TSK' | 'SEM' | 'FLG' | 'DTQ' | 'PDQ' | 'MTX' | 'MPF' | 'CYC' | 'ALM' | 'ISR';

/** In the order of the TNUM_xxxID macros in kernel_cfg.h (CFG_CONTRACT.md section 3). */
export const OBJECT_TYPES: readonly ObjectType[] = ['TSK', 'SEM', 'FLG', 'DTQ', 'PDQ', 'MTX', 'MPF', 'CYC', 'ALM', 'ISR'];

/** One static API. */
export interface ApiSpec {
  readonly name: string;
  readonly params: readonly ParamShape[];
  /** Set for CRE_xxx: the object type whose ID the first parameter defines. */
  readonly object?: ObjectType;
}

const p = (name: string, kind: ParamKind, optional = false): ParamSpec => (optional ? { name, kind, optional } : { name, kind });
const g = (...group: ParamShape[]): { group: ParamShape[] } => ({ group });

/**
 * Static APIs of the TOPPERS 3rd-generation kernel integrated specification that this kernel
 * supports (guests/rtos/kernel/CFG_CONTRACT.md section 1), with the spec's parameter names.
 */
export const API_TABLE: Readonly<Record<string, ApiSpec>> = {
  CRE_TSK: {
    name: 'CRE_TSK',
    object: 'TSK',
    params: [p('tskid', 'objectName'), g(p('tskatr', 'attribute'), p('exinf', 'expression'), p('task', 'expression'), p('itskpri', 'integer'), p('stksz', 'size'), p('stk', 'areaOrNull'))],
  },
  CRE_SEM: {
    name: 'CRE_SEM',
    object: 'SEM',
    params: [p('semid', 'objectName'), g(p('sematr', 'attribute'), p('isemcnt', 'unsigned'), p('maxsem', 'unsigned'))],
  },
  CRE_FLG: {
    name: 'CRE_FLG',
    object: 'FLG',
    params: [p('flgid', 'objectName'), g(p('flgatr', 'attribute'), p('iflgptn', 'unsigned'))],
  },
  CRE_DTQ: {
    name: 'CRE_DTQ',
    object: 'DTQ',
    params: [p('dtqid', 'objectName'), g(p('dtqatr', 'attribute'), p('dtqcnt', 'unsigned'), p('dtqmb', 'areaOrNull'))],
  },
  CRE_PDQ: {
    name: 'CRE_PDQ',
    object: 'PDQ',
    params: [p('pdqid', 'objectName'), g(p('pdqatr', 'attribute'), p('pdqcnt', 'unsigned'), p('maxdpri', 'integer'), p('pdqmb', 'areaOrNull'))],
  },
  CRE_MTX: {
    name: 'CRE_MTX',
    object: 'MTX',
    params: [p('mtxid', 'objectName'), g(p('mtxatr', 'attribute'), p('ceilpri', 'integer', true))],
  },
  CRE_MPF: {
    name: 'CRE_MPF',
    object: 'MPF',
    params: [p('mpfid', 'objectName'), g(p('mpfatr', 'attribute'), p('blkcnt', 'unsigned'), p('blksz', 'unsigned'), p('mpf', 'areaOrNull'), p('mpfmb', 'areaOrNull'))],
  },
  CRE_CYC: {
    name: 'CRE_CYC',
    object: 'CYC',
    params: [p('cycid', 'objectName'), g(p('cycatr', 'attribute'), p('nfyinfo', 'notification'), p('cyctim', 'unsigned'), p('cycphs', 'unsigned'))],
  },
  CRE_ALM: {
    name: 'CRE_ALM',
    object: 'ALM',
    params: [p('almid', 'objectName'), g(p('almatr', 'attribute'), p('nfyinfo', 'notification'))],
  },
  CFG_INT: {
    name: 'CFG_INT',
    params: [p('intno', 'number'), g(p('intatr', 'attribute'), p('intpri', 'integer'))],
  },
  DEF_INH: {
    name: 'DEF_INH',
    params: [p('inhno', 'number'), g(p('inhatr', 'attribute'), p('inthdr', 'expression'))],
  },
  CRE_ISR: {
    name: 'CRE_ISR',
    object: 'ISR',
    params: [p('isrid', 'objectName'), g(p('isratr', 'attribute'), p('exinf', 'expression'), p('intno', 'number'), p('isr', 'expression'), p('isrpri', 'integer'))],
  },
  DEF_EXC: {
    name: 'DEF_EXC',
    params: [p('excno', 'number'), g(p('excatr', 'attribute'), p('exchdr', 'expression'))],
  },
  DEF_ICS: {
    name: 'DEF_ICS',
    params: [g(p('istksz', 'size'), p('istk', 'areaOrNull'))],
  },
  ATT_INI: {
    name: 'ATT_INI',
    params: [g(p('iniatr', 'attribute'), p('exinf', 'expression'), p('inirtn', 'expression'))],
  },
  ATT_TER: {
    name: 'ATT_TER',
    params: [g(p('teratr', 'attribute'), p('exinf', 'expression'), p('terrtn', 'expression'))],
  },
  INCLUDE: {
    name: 'INCLUDE',
    params: [p('file', 'fileName')],
  },
};

/** Static APIs of other TOPPERS kernels, named in the error so the user knows why. */
export const FOREIGN_APIS: Readonly<Record<string, string>> = {
  DEF_TEX: 'task exception handling is not part of the 3rd-generation kernel (use ras_ter)',
  CRE_MBX: 'mailboxes are not part of this kernel (use data queues)',
  DEF_KMM: 'the kernel memory area is not configurable in this kernel',
  CRE_SPN: 'spin locks are multiprocessor (FMP3) only',
  ATT_ISR: 'this kernel names interrupt service routines: use CRE_ISR(ISRID, { ... })',
  CRE_MBF: 'message buffers are not part of this kernel',
  CRE_MPL: 'variable-size memory pools are not part of this kernel',
  DEF_SVC: 'extended service calls are not part of this kernel',
  ATT_MOD: 'memory-protection APIs (HRP3) are not part of this kernel',
  ATT_MEM: 'memory-protection APIs (HRP3) are not part of this kernel',
  ATT_REG: 'memory-protection APIs (HRP3) are not part of this kernel',
  ATT_SEC: 'memory-protection APIs (HRP3) are not part of this kernel',
  DEF_SCY: 'time-window scheduling (HRP3) is not part of this kernel',
  CRE_SOM: 'system operating modes (HRP3) are not part of this kernel',
};

/** A notification parameter `{ nfymode, par1 [, par2] [, epar1 [, epar2]] }`, unbound words. */
export interface NotificationParam {
  readonly nfymode: ExprParam;
  readonly words: readonly ExprParam[];
  readonly file: string;
  readonly line: number;
}

/** A call matched against its spec: each parameter by name. */
export interface BoundCall {
  readonly spec: ApiSpec;
  readonly call: StaticApiCall;
  readonly expr: ReadonlyMap<string, ExprParam>;
  readonly notification?: NotificationParam;
}

/**
 * Match a call's parameters to the spec's list: right count, groups where groups belong,
 * an identifier where an object name belongs, a string for INCLUDE. Mismatches are E_SYNTAX
 * ("too few parameters") except an unknown API, which is E_NOSPT.
 */
export function bindCall(call: StaticApiCall): { bound?: BoundCall; errors: CfgError[] } {
  const spec = API_TABLE[call.name];
  if (spec === undefined) {
    const why = FOREIGN_APIS[call.name];
    return { errors: [cfgError(call, 'E_NOSPT', why ? `${call.name} is not supported: ${why}` : `unknown static API '${call.name}'`)] };
  }
  const errors: CfgError[] = [];
  const expr = new Map<string, ExprParam>();
  let notification: NotificationParam | undefined;

  const bindList = (shapes: readonly ParamShape[], given: readonly Param[], where: string): void => {
    const required = shapes.filter((s) => !('kind' in s && s.optional)).length;
    if (given.length < required) {
      errors.push(cfgError(given[given.length - 1] ?? call, 'E_SYNTAX', `${call.name}: too few parameters ${where}(${given.length} given, ${required} expected)`));
      return;
    }
    if (given.length > shapes.length) {
      errors.push(cfgError(given[shapes.length]!, 'E_SYNTAX', `${call.name}: too many parameters ${where}(${given.length} given, at most ${shapes.length})`));
      return;
    }
    given.forEach((param, i) => {
      const shape = shapes[i]!;
      if ('group' in shape) {
        if (param.kind !== 'group') {
          errors.push(cfgError(param, 'E_SYNTAX', `${call.name}: parameter ${i + 1} must be a { ... } group`));
          return;
        }
        bindList(shape.group, param.items, 'in { ... } ');
        return;
      }
      if (shape.kind === 'notification') {
        if (param.kind !== 'group') {
          errors.push(cfgError(param, 'E_SYNTAX', `${call.name}: ${shape.name} must be a { nfymode, ... } group`));
          return;
        }
        const items = param.items;
        if (items.length < 2 || items.length > 5 || items.some((x) => x.kind !== 'expr')) {
          errors.push(cfgError(param, 'E_SYNTAX', `${call.name}: ${shape.name} must be { nfymode, 1 to 4 parameters }`));
          return;
        }
        const words = items as readonly ExprParam[];
        notification = { nfymode: words[0]!, words: words.slice(1), file: param.file, line: param.line };
        return;
      }
      if (param.kind !== 'expr') {
        errors.push(cfgError(param, 'E_SYNTAX', `${call.name}: ${shape.name} must not be a { ... } group`));
        return;
      }
      if (shape.kind === 'objectName' && !(param.tokens.length === 1 && param.tokens[0]!.kind === 'ident')) {
        errors.push(cfgError(param, 'E_SYNTAX', `${call.name}: ${shape.name} must be an identifier, not '${param.text}'`));
        return;
      }
      if (shape.kind === 'fileName' && !(param.tokens.length === 1 && param.tokens[0]!.kind === 'string')) {
        errors.push(cfgError(param, 'E_SYNTAX', `${call.name}: the file name must be a string literal`));
        return;
      }
      expr.set(shape.name, param);
    });
  };
  bindList(spec.params, call.params, '');
  if (errors.length > 0) return { errors };
  const bound: BoundCall = notification ? { spec, call, expr, notification } : { spec, call, expr };
  return { bound, errors };
}

/** The name of the parameter that holds the created object's name (CRE_xxx), if any. */
export function objectNameParam(spec: ApiSpec): string | undefined {
  const first = spec.params[0];
  return spec.object !== undefined && first !== undefined && 'name' in first ? first.name : undefined;
}

/** The kind of a named parameter of an API (for deciding what to evaluate). */
export function paramKinds(spec: ApiSpec): Map<string, ParamKind> {
  const out = new Map<string, ParamKind>();
  const walk = (shapes: readonly ParamShape[]): void => {
    for (const s of shapes) {
      if ('group' in s) walk(s.group);
      else out.set(s.name, s.kind);
    }
  };
  walk(spec.params);
  return out;
}

/**
 * Object IDs as kernel_cfg.h defines them: per object type from 1 in order of definition
 * (CFG_CONTRACT.md section 2), and the TNUM_xxxID counts.
 */
export function assignIds(calls: readonly BoundCall[]): { ids: Map<string, number>; counts: Map<ObjectType, number> } {
  const ids = new Map<string, number>();
  const counts = new Map<ObjectType, number>(OBJECT_TYPES.map((t) => [t, 0]));
  for (const c of calls) {
    const param = objectNameParam(c.spec);
    if (param === undefined || c.spec.object === undefined) continue;
    const n = counts.get(c.spec.object)! + 1;
    counts.set(c.spec.object, n);
    const name = c.expr.get(param)!.text;
    if (!ids.has(name)) ids.set(name, n);
  }
  return { ids, counts };
}
