package io.noprop.controller.mcu;

/**
 * The diagnostics block the board firmware keeps at a fixed RAM address (boards/mps2-an386/board_diag.h),
 * read through the emulator's monitor the way a debug probe would read it: outside the protocol.
 *
 * @param bootCount the boot count HELLO announces
 * @param stackPeak bytes of stack ever used since this boot (painted words overwritten)
 * @param stackSize bytes reserved for the stack
 * @param ringPeak most bytes ever waiting in the UART receive ring
 * @param ringOverflows bytes dropped because the ring was full
 * @param rxOverruns bytes lost in the UART register before the interrupt ran
 * @param frames good frames received since boot (as of the board's last idle moment)
 */
public record BoardDiag(long bootCount, long stackPeak, long stackSize, long ringPeak, long ringOverflows, long rxOverruns, long frames) {
  /** Address of the block on mps2-an386 (linker.ld: np_board_diag). */
  public static final long ADDRESS = 0x203F_FFD0L;
  static final long MAGIC = 0x4449_4147L;

  /** From the block's eight words; null when the magic word is not there (the board has not booted). */
  static BoardDiag of(long[] w) {
    if (w.length < 8 || w[0] != MAGIC) return null;
    return new BoardDiag(w[1], w[2], w[3], w[4], w[5], w[6], w[7]);
  }
}
