// Compact JSON form of one corpus vector (guests/tests/random/corpus/*.json) and its decoding.
//
// Record: { code: base64 machine code, init: hex of EAX ECX EDX EBX EBP ESI EDI EFLAGS and the data
// page seed (9 x 8 digits), undef / undefAny: arithmetic-flag masks (generate.mjs), expect: hex of
// the exception vector (2 digits, ff = none), EIP offset (4), EAX ECX EDX EBX ESP EBP ESI EDI EFLAGS
// and the page hash (10 x 8) as QEMU printed them }.

const hex8 = (v) => (v >>> 0).toString(16).padStart(8, '0');
const words = (s, at, n) => Array.from({ length: n }, (_, i) => parseInt(s.slice(at + 8 * i, at + 8 * i + 8), 16) >>> 0);

/** Record for a generated vector and the runner's parsed result line. */
export function toCorpusVector(v, res) {
  return {
    code: Buffer.from(v.code).toString('base64'),
    init: [...v.init, v.seed].map(hex8).join(''),
    undef: v.undef,
    undefAny: v.undefAny,
    expect: res.vector.toString(16).padStart(2, '0') + res.eip.toString(16).padStart(4, '0') + [...res.regs, res.eflags, res.hash].map(hex8).join(''),
  };
}

/** The vector (as generate.mjs makes it) and the expected result (as parseResult returns it) of a record. */
export function fromCorpusVector(rec) {
  const init = words(rec.init, 0, 9);
  const e = rec.expect;
  const n = words(e, 6, 10);
  return {
    vector: { init: init.slice(0, 8), seed: init[8], code: Uint8Array.from(Buffer.from(rec.code, 'base64')), undef: rec.undef, undefAny: rec.undefAny },
    expected: { vector: parseInt(e.slice(0, 2), 16), eip: parseInt(e.slice(2, 6), 16), regs: n.slice(0, 8), eflags: n[8], hash: n[9] },
  };
}
