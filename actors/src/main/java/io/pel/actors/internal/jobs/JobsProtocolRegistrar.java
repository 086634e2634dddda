package io.pel.actors.internal.jobs;

import io.pel.actors.JobState;
import io.pel.actors.JobStatus;
import io.pel.cluster.KryoRegistrar;

/**
 * Registers checkpointed jobs' messages, events and snapshots with PEL's Kryo serializer under fixed ids
 * 220&ndash;259. Events and snapshots are stored in the job store, so an id and its class's fields never
 * change meaning once released: a new layout gets a new class and id.
 *
 * <pre>
 * 220 JobStatus   221 JobState   222 Outcome   223 Submit   224 GetStatus   225 GetResults   226 Cancel
 * 227 Wake   228 Compact   229 Status   230 Results   231 Refused   232 Refused.Reason
 * 233 Accepted   234 TasksCompleted   235 Finished   236 Compacted   237 JobRecord.Snapshot
 * 240 JobIndex.Register   241 Registered   242 Finished   243 Forget   244 NotAccepted
 * 245 Opened   246 Closed   247 Forgotten   248 Entry   249 JobIndex.Snapshot
 * </pre>
 */
public final class JobsProtocolRegistrar implements KryoRegistrar {

  @Override
  public void registerClasses(Registrations r) {
    r.register(JobStatus.class, 220);
    r.register(JobState.class, 221);
    r.register(Outcome.class, 222);
    r.register(JobCoordinator.Submit.class, 223);
    r.register(JobCoordinator.GetStatus.class, 224);
    r.register(JobCoordinator.GetResults.class, 225);
    r.register(JobCoordinator.Cancel.class, 226);
    r.register(JobCoordinator.Wake.class, 227);
    r.register(JobCoordinator.Compact.class, 228);
    r.register(JobCoordinator.Status.class, 229);
    r.register(JobCoordinator.Results.class, 230);
    r.register(JobCoordinator.Refused.class, 231);
    r.register(JobCoordinator.Reason.class, 232);
    r.register(JobCoordinator.Accepted.class, 233);
    r.register(JobCoordinator.TasksCompleted.class, 234);
    r.register(JobCoordinator.Finished.class, 235);
    r.register(JobCoordinator.Compacted.class, 236);
    r.register(JobRecord.Snapshot.class, 237);
    r.register(JobIndex.Register.class, 240);
    r.register(JobIndex.Registered.class, 241);
    r.register(JobIndex.Finished.class, 242);
    r.register(JobIndex.Forget.class, 243);
    r.register(JobIndex.NotAccepted.class, 244);
    r.register(JobIndex.Opened.class, 245);
    r.register(JobIndex.Closed.class, 246);
    r.register(JobIndex.Forgotten.class, 247);
    r.register(JobIndex.Entry.class, 248);
    r.register(JobIndex.Snapshot.class, 249);
  }
}
