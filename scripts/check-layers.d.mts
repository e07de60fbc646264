export function checkLayers(): string[];
