/** Pure reference data and validators for the Veilig Thuis case engine. */
export * from './bsn';
export * from './gemeenten';
export * from './categories';
