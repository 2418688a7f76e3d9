/** One area's texts in one locale: any of the English keys (the completeness test asks for all of them). */
export type AreaCatalog<T extends Record<string, string>> = { readonly [K in keyof T]?: string };
