/**
 * Prints one plain closing line, "Tests: N passed, N failed, N skipped", as the very last line of the run, so CI
 * tooling that reads the closing line understands Jest's result too. Jest prints its own summary after reporters'
 * onRunComplete, hence the exit hook.
 */
class SummaryReporter {
  onRunComplete(_contexts, results) {
    const failed = results.numFailedTests + results.numRuntimeErrorTestSuites;
    const line = `Tests: ${results.numPassedTests} passed, ${failed} failed, ${results.numPendingTests} skipped\n`;
    process.once('exit', () => process.stderr.write(line));
  }
}
module.exports = SummaryReporter;
