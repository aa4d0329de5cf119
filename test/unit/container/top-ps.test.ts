import { ContainerError } from '../../../lib/errors.js';
import { parsePsOutput } from '../../../lib/container/top-ps.js';

const AUX = `USER         PID %CPU %MEM    VSZ   RSS TTY      STAT START   TIME COMMAND
root           1  0.0  0.0   1000   100 ?        Ss   10:00   0:00 /sbin/init
root         200  0.0  0.0   1500   300 ?        S    10:01   0:00 sh -c sleep 1; echo a  b
nobody       201  0.0  0.0   1500   300 ?        S    10:01   0:00 sleep 1
`;

describe('parsePsOutput', () => {
  it('keeps the rows of the given pids and joins the command words', () => {
    expect(parsePsOutput(AUX, [200, 201, 999])).toEqual({
      Titles: ['USER', 'PID', '%CPU', '%MEM', 'VSZ', 'RSS', 'TTY', 'STAT', 'START', 'TIME', 'COMMAND'],
      Processes: [
        ['root', '200', '0.0', '0.0', '1500', '300', '?', 'S', '10:01', '0:00', 'sh -c sleep 1; echo a b'],
        ['nobody', '201', '0.0', '0.0', '1500', '300', '?', 'S', '10:01', '0:00', 'sleep 1'],
      ],
    });
  });

  it('refuses output without a PID column or with a pid that is not a number', () => {
    expect(() => parsePsOutput('COMMAND\nsh\n', [1])).toThrow(ContainerError);
    expect(() => parsePsOutput('PID CMD\nx sh\n', [1])).toThrow(/unexpected pid "x"/);
  });
});
