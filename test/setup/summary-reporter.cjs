// Prints one plain closing line, "jest: N passed, N failed, N skipped", as the very last
// output of the run (after jest's own summary and the global teardown).
class SummaryReporter {
  onRunComplete(_contexts, results) {
    const { numPassedTests: p, numFailedTests: f, numPendingTests: s, numTodoTests: t } = results;
    process.once('exit', (code) => {
      const failed = f + (code !== 0 && f === 0 ? 1 : 0);
      process.stdout.write(`\njest: ${p} passed, ${failed} failed, ${s + t} skipped\n`);
    });
  }
}
module.exports = SummaryReporter;
