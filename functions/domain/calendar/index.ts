export * from "./business-calendar";
export * from "./calendar-year";
export { SHIPPED_YEARS } from "./data/index";
export * from "./definitions";
export * from "./registry";
