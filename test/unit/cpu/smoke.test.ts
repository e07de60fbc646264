import { test, expect } from 'vitest';
import { flat, real, runToHalt } from '../../cpu/harness.js';
test('smoke', () => {
  const m = flat(`mov eax, 5\n mov ecx, 7\n add eax, ecx\n imul eax, eax\n push eax\n pop ebx\n hlt`);
  expect(runToHalt(m)).toBe('halt');
  expect(m.cpu.ebx).toBe(144);
  expect(m.cpu.internalErrors).toBe(0);
});
