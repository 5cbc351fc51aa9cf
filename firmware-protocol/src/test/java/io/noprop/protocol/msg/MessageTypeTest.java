package io.noprop.protocol.msg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

class MessageTypeTest {
  @Test
  void codesAreTheWireContract() {
    Map<MessageType, Integer> want = new java.util.HashMap<>(Map.of(MessageType.HELLO, 0x01, MessageType.PING, 0x02, MessageType.RESET, 0x03,
        MessageType.EVALUATE, 0x10, MessageType.UPDATE, 0x11, MessageType.WRITE_WEIGHTS, 0x12, MessageType.READ_WEIGHTS, 0x13,
        MessageType.DATA_DEFINE, 0x20, MessageType.DATA_WRITE, 0x21, MessageType.ERROR, 0xFF));
    want.put(MessageType.STATS, 0x14);
    want.put(MessageType.BASIS_WRITE, 0x15);
    assertEquals(want.size(), MessageType.values().length);
    want.forEach((t, code) -> assertEquals(code, t.code, t.name()));
  }

  @Test
  void replyCodeSetsBitSevenExceptForError() {
    assertEquals(0x91, MessageType.UPDATE.replyCode());
    assertEquals(0x81, MessageType.HELLO.replyCode());
    assertEquals(0xFF, MessageType.ERROR.replyCode());
  }

  @Test
  void requestLooksUpRequestCodesOnly() {
    assertEquals(MessageType.EVALUATE, MessageType.request(0x10));
    assertNull(MessageType.request(0x90), "a reply code is no request");
    assertNull(MessageType.request(0xFF), "ERROR is never a request");
    assertNull(MessageType.request(0x04));
  }

  @Test
  void onlyUpdateWriteAndResetMutateWeights() {
    for (MessageType t : MessageType.values()) {
      boolean mutates = t == MessageType.UPDATE || t == MessageType.WRITE_WEIGHTS || t == MessageType.RESET;
      assertEquals(mutates, t.mutatesWeights(), t.name());
    }
    assertTrue(MessageType.UPDATE.mutatesWeights());
    assertFalse(MessageType.EVALUATE.mutatesWeights());
  }
}
