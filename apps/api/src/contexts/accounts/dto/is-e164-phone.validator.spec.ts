import { isE164Phone } from './is-e164-phone.validator';

describe('isE164Phone', () => {
  it.each([['+14155552671'], ['+442071838750'], ['+33142685300']])('accepts %s', (phone) => {
    expect(isE164Phone(phone)).toBe(true);
  });

  it.each([['4155552671'], ['+1 415 555 2671'], ['+1-415-555-2671'], ['+1415555267'], ['+0123456789'], ['+1234567890123456'], [14155552671], [''], ['+99999999999']])(
    'refuses %p',
    (phone) => {
      expect(isE164Phone(phone)).toBe(false);
    },
  );
});
