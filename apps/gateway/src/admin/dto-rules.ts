import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsObject, ValidateIf, ValidateNested } from 'class-validator';

/** Optional but never null: only an absent field skips validation. */
export function IsOmittable(): PropertyDecorator {
  return ValidateIf((_object, value) => value !== undefined);
}

/** Optional and nullable: `null` clears the field, absent leaves it. */
export function IsClearable(): PropertyDecorator {
  return ValidateIf((_object, value) => value !== undefined && value !== null);
}

/** An array of at most `max` objects, each validated as `type`. */
export function ObjectArray(max: number, type: () => new () => object): PropertyDecorator {
  return (target, key) => {
    IsArray({ message: '$property must be an array' })(target, key);
    ArrayMaxSize(max, { message: `$property must contain at most ${max} items` })(target, key);
    IsObject({ each: true, message: 'each item of $property must be an object' })(target, key);
    ValidateNested({ each: true })(target, key);
    Type(type)(target, key);
  };
}
