declare module "asl-validator" {
  interface ValidationResult {
    isValid: boolean;
    errors: unknown[];
  }
  function validator(definition: unknown): ValidationResult;
  export = validator;
}
