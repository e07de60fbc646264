// Firmware v86 boots with: Debian's SeaBIOS build (package seabios), the BIOS and the VGA BIOS.
export const SEABIOS = '/usr/share/seabios/bios.bin';
export const VGABIOS = '/usr/share/seabios/vgabios-stdvga.bin';
