export function buildGuests(names?: string[]): Promise<Record<string, Record<string, string>>>;
export const GUEST_NAMES: string[];
