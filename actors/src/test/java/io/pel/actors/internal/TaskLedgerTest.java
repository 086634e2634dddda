package io.pel.actors.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The ledger: one record per accepted task, one admission place given back per settled task, never two. */
class TaskLedgerTest {

  private final Admission admission = new Admission(10);
  private final TaskLedger ledger = new TaskLedger(admission, 0xabcL);

  private TaskRecord accepted() {
    assertTrue(admission.tryAcquire());
    return ledger.accept("t", null, 1, new TaskFuture(null));
  }

  @Test
  void acceptedTasksGetIdsOfThisNodeInOrderAndTheirFuturesKnowThem() {
    TaskRecord a = accepted();
    TaskRecord b = accepted();
    assertEquals(new TaskId(0xabcL, 1), a.id);
    assertEquals(new TaskId(0xabcL, 2), b.id);
    assertEquals(2, b.result.seq);
    assertSame(b, ledger.get(2));
    assertEquals(2, ledger.size());
    assertEquals(2, admission.accepted());
  }

  @Test
  void aTaskIsSettledOnceAndItsPlaceGivenBackOnce() {
    TaskRecord a = accepted();
    accepted();
    assertTrue(ledger.settle(a));
    assertFalse(ledger.settle(a), "a second settle (a late duplicate, a cancel after the result) changes nothing");
    assertEquals(TaskRecord.State.DONE, a.state);
    assertNull(ledger.get(a.id.seq()));
    assertEquals(1, admission.accepted());
    assertEquals(1, ledger.size());
  }

  @Test
  void aTaskRefusedOnItsWayInGivesItsPlaceBackWithoutARecord() {
    assertTrue(admission.tryAcquire());
    ledger.refuse();
    assertEquals(0, admission.accepted());
    assertEquals(0, ledger.size());
  }

  @Test
  void theCountOfAcceptedTasksIsAdmissionsAndReachesZeroWhenAllAreSettled() {
    TaskRecord a = accepted();
    TaskRecord b = accepted();
    admission.close();
    assertFalse(admission.drained().isDone());
    for (TaskRecord t : ledger.all()) ledger.settle(t);
    assertTrue(admission.drained().isDone());
    assertEquals(TaskRecord.State.DONE, a.state);
    assertEquals(TaskRecord.State.DONE, b.state);
  }
}
