// Located configuration errors: `file:line: E_XXX: message`, with the spec's error-code names.

/**
 * Error codes a configuration error carries. The E_* names and meanings are the TOPPERS
 * 3rd-generation kernel integrated specification's (E_PAR bad parameter, E_RSATR reserved
 * attribute, E_OBJ object state / duplicate, E_NOSPT unsupported, E_NORES no resource). Three
 * are the configurator's own, for failures before any static API is checked:
 * E_SYNTAX (lexical, preprocessor or static-API grammar error), E_EXPR (an expression that
 * cannot be evaluated to an integer) and E_TOOL (the C compiler could not be run).
 */
export type CfgErrorCode =
  | 'E_PAR'
  | 'E_RSATR'
  | 'E_OBJ'
  | 'E_ID'
  | 'E_NOSPT'
  | 'E_NORES'
  | 'E_SYNTAX'
  | 'E_EXPR'
  | 'E_TOOL';

/** A place in an original source file (a .cfg or a header), 1-based line. */
export interface SourceLocation {
  readonly file: string;
  readonly line: number;
}

/** One configuration error. */
export interface CfgError extends SourceLocation {
  readonly code: CfgErrorCode;
  readonly message: string;
}

/** Build an error at a location. */
export function cfgError(loc: SourceLocation, code: CfgErrorCode, message: string): CfgError {
  return { file: loc.file, line: loc.line, code, message };
}

/** The one-line form every tool prints: `file:line: E_XXX: message`. */
export function formatCfgError(e: CfgError): string {
  return `${e.file}:${e.line}: ${e.code}: ${e.message}`;
}
