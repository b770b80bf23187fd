import { ConflictError, DomainError, NotFoundError } from './errors';

describe('domain errors', () => {
  it('carry their stable code, their own class name and their details', () => {
    const conflict = new ConflictError('expected 3', 3, 4);
    expect(conflict).toBeInstanceOf(DomainError);
    expect(conflict).toMatchObject({
      code: 'CONFLICT',
      name: 'ConflictError',
      message: 'expected 3',
      expectedVersion: 3,
      actualVersion: 4,
    });
    expect(new NotFoundError('no such item')).toMatchObject({ code: 'NOT_FOUND', name: 'NotFoundError' });
  });

  it('make a failure class from its code alone', () => {
    class ParcelLostError extends DomainError.withCode('PARCEL_LOST') {}
    expect(new ParcelLostError('lost')).toMatchObject({ code: 'PARCEL_LOST', name: 'ParcelLostError' });
  });
});
