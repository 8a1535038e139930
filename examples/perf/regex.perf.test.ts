import { performanceTest } from 'perfguard';
import { countValidEmails, makeLogLines } from './workloads';

const lines = makeLogLines(2_000);

performanceTest('regex_validate_2k_emails', { metadata: { lines: lines.length } }, () => countValidEmails(lines));

performanceTest('regex_replace_log', {}, () => lines.join('\n').replace(/\d+/g, '#').length);
