/* target_board.h: includes the board header chosen by the build (-DTOPPERS_BOARD_H="<board>.h"). */
#ifndef TOPPERS_TARGET_BOARD_H
#define TOPPERS_TARGET_BOARD_H
#ifndef TOPPERS_BOARD_H
#define TOPPERS_BOARD_H "pc-i486.h"
#endif
#include TOPPERS_BOARD_H
#endif
