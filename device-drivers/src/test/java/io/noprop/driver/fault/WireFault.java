package io.noprop.driver.fault;

/**
 * Every fault the test kit injects, named for what happens on the wire or to the chip: one
 * vocabulary for the scripted link ({@code FaultyLink}, one fault per send, in order) and for the
 * seeded {@link FaultPlan} (faults at rates) that drives {@link FaultyWireLink},
 * {@link FaultyFrameLink}, {@link FaultyChip}, the serial relay and {@link MqttFaultProxy}.
 * Faults with a direction in their name hit that direction only; the others hit whichever frame
 * or chunk rolls them.
 */
public enum WireFault {
  /** One bit of one byte flipped on the way (CRC catches it); position drawn by the plan. */
  CORRUPT_BYTES,
  /** One byte removed from a frame on the way. */
  DROP_BYTES,
  /** A whole frame (request or reply) lost. */
  DROP_FRAME,
  /** A frame delivered twice (a QoS 1 redelivery, a retransmitting bridge). */
  DUPLICATE_FRAME,
  /** A reply held back and delivered after the next one (stale, out of order). */
  REORDER_FRAMES,
  /** The request never reaches the chip. */
  DROP_REQUEST,
  /** The chip executes the request; its reply is lost. */
  DROP_REPLY,
  /** One byte in the middle of the request damaged on the way to the chip. */
  CORRUPT_REQUEST,
  /** One byte in the middle of the reply damaged on the way back. */
  CORRUPT_REPLY,
  /** The cable pulled mid-exchange and plugged back in (the link goes down and reconnects). */
  PULL_CABLE,
  /** The MQTT broker stopped and started again (every connection drops). */
  BROKER_RESTART,
  /** The chip reset (power cycle): weights, datasets and replay cache lost, new boot count. */
  CHIP_RESET,
  /** The chip answers an EVALUATE with a NaN loss. */
  NAN_LOSS,
  /** The chip answers an EVALUATE with a finite loss no cross-entropy can take (negative, huge). */
  OUT_OF_RANGE_LOSS,
  /** The controller process killed with SIGKILL (during checkpoint writes) and resumed. */
  KILL_CONTROLLER
}
