import { MeasureBlock } from '../../src/runner/measure-block';

describe('MeasureBlock', () => {
  it('ends once, whichever of end(), using or await using comes first', async () => {
    let finished = 0;
    const block = new MeasureBlock('once', () => {
      finished += 1;
      return Promise.resolve({ name: 'once' } as never);
    });
    block[Symbol.dispose]();
    await block[Symbol.asyncDispose]();
    await block.end();
    expect(finished).toBe(1);
    expect(block.report).toEqual({ name: 'once' });
  });

  it('turns a failed recording after a plain using block into a warning, not an unhandled rejection', async () => {
    const warn = jest.spyOn(process, 'emitWarning').mockImplementation(() => undefined);
    try {
      const block = new MeasureBlock('lost', () => Promise.reject(new Error('the store is read-only')));
      block[Symbol.dispose]();
      await expect(block.ended).rejects.toThrow('the store is read-only');
      await new Promise((resolve) => setImmediate(resolve));
      expect(warn).toHaveBeenCalledWith("perfguard: measure 'lost' was not recorded: the store is read-only");
    } finally {
      warn.mockRestore();
    }
  });
});
