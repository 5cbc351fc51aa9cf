package io.noprop.controller.runs;

import java.nio.file.Path;
import java.util.Map;

/**
 * One run as its directory tells it: {@code summary.json} for a finished run's figures,
 * {@code metrics.csv} for the curves and the progress of an unfinished one, {@code process.json}
 * for who is writing it, {@code fleet.json} for a fleet's chips. A figure the directory does not
 * hold is null, never guessed.
 *
 * @param name the run's path relative to the directory it was found under (its own name when named directly)
 * @param device device URI (summary, else process record)
 * @param method resolved method id (summary, else process record)
 * @param budget query budget (summary params, else process record)
 * @param queries queries spent: the summary's when finished, else the last metrics row's
 * @param steps steps done, likewise
 * @param testAccuracy final test accuracy, finished runs only
 * @param testLoss final test loss, finished runs only
 * @param trainLoss running mean of the training loss at the last metrics row
 * @param trainAccuracy running mean of the batch accuracy at the last metrics row
 * @param wallSeconds wall time: the summary's, else the last metrics row's
 * @param wireBytesSent link bytes sent: the summary's (dataset upload and test pass included), else the last row's
 * @param wireBytesReceived link bytes received, likewise
 * @param chipSeconds the chip's own time for the training steps (STATS), finished runs on chips that report it
 * @param chipJoules the chip's energy for the same steps
 * @param pid the process recorded as writing the run
 * @param error why the training failed, as the process recorded it (interrupted runs only; null when it was killed)
 * @param updatedMillis last modification of metrics.csv (or the summary), epoch ms
 * @param fleet the fleet's chips, null unless a fleet run recorded them
 * @param summary {@code summary.json} as written (every field, including ones this reader does not know), null when absent
 * @param metrics the curves
 */
public record RunRecord(
    String name,
    Path dir,
    RunStatus status,
    String device,
    String method,
    Long budget,
    Long queries,
    Long steps,
    Double testAccuracy,
    Double testLoss,
    Double trainLoss,
    Double trainAccuracy,
    Double wallSeconds,
    Long wireBytesSent,
    Long wireBytesReceived,
    Double chipSeconds,
    Double chipJoules,
    Long pid,
    String error,
    long updatedMillis,
    FleetSnapshot fleet,
    Map<String, Object> summary,
    MetricsSeries metrics) {}
