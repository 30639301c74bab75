import { validate } from 'class-validator';
import { IsString, MaxLength, ValidateNested } from 'class-validator';
import { Type } from 'class-transformer';
import { invalidMembers, validationProblem } from './validation-problem';

class Inner {
  @IsString()
  @MaxLength(3)
  name: string;
}

class Outer {
  @IsString()
  title: string;

  @ValidateNested()
  @Type(() => Inner)
  inner: Inner;
}

describe('validation problems', () => {
  it('names each failed member by its dotted path and rule names, never its value', async () => {
    const outer = Object.assign(new Outer(), { title: 7, inner: Object.assign(new Inner(), { name: 'SECRET-VALUE' }) });
    const members = invalidMembers(await validate(outer));
    expect(members).toEqual([
      { field: 'title', rules: ['isString'] },
      { field: 'inner.name', rules: ['maxLength'] },
    ]);
    const body = validationProblem(await validate(outer)).problemBody;
    expect(body).toMatchObject({ status: 400, detail: 'invalid or unknown members: title, inner.name', errors: members });
    expect(JSON.stringify(body)).not.toContain('SECRET');
  });
});
