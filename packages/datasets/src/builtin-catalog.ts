import type { Frequency } from "@hindcast/models";

export interface BuiltinColumn {
  name: string;
  meaning: string;
}

export interface BuiltinDatasetInfo {
  name: string;
  title: string;
  description: string;
  /** File in the data folder of the vega-datasets npm package. */
  file: string;
  frequency: Frequency;
  /** The dataset's columns, in order. */
  columns: BuiltinColumn[];
  dateRange: { start: string; end: string };
}

/** A built-in dataset and how its file is read: the pivot it needs and renames from file columns to dataset columns. */
export interface BuiltinRecipe {
  info: BuiltinDatasetInfo;
  pivotBy?: string;
  renames?: Record<string, string>;
}

const WEATHER_MEASURES: BuiltinColumn[] = [
  { name: "precipitation", meaning: "precipitation (mm)" },
  { name: "temp_max", meaning: "daily maximum temperature (°C)" },
  { name: "temp_min", meaning: "daily minimum temperature (°C)" },
  { name: "wind", meaning: "average wind speed" },
];

const WEATHER_CITIES = [
  { prefix: "seattle", label: "Seattle" },
  { prefix: "new_york", label: "New York" },
];

const US_EMPLOYMENT_SECTORS: [column: string, sector: string][] = [
  ["nonfarm", "all nonfarm"],
  ["private", "total private"],
  ["goods_producing", "goods-producing"],
  ["service_providing", "service-providing"],
  ["private_service_providing", "private service-providing"],
  ["mining_and_logging", "mining and logging"],
  ["construction", "construction"],
  ["manufacturing", "manufacturing"],
  ["durable_goods", "durable goods manufacturing"],
  ["nondurable_goods", "nondurable goods manufacturing"],
  ["trade_transportation_utilties", "trade, transportation and utilities (name misspelled as in the file)"],
  ["wholesale_trade", "wholesale trade"],
  ["retail_trade", "retail trade"],
  ["transportation_and_warehousing", "transportation and warehousing"],
  ["utilities", "utilities"],
  ["information", "information"],
  ["financial_activities", "financial activities"],
  ["professional_and_business_services", "professional and business services"],
  ["education_and_health_services", "education and health services"],
  ["leisure_and_hospitality", "leisure and hospitality"],
  ["other_services", "other services"],
  ["government", "government"],
];

export const BUILTIN_RECIPES: BuiltinRecipe[] = [
  {
    info: {
      name: "sp500",
      title: "S&P 500 daily prices",
      description: "S&P 500 index daily open, high, low, close, adjusted close and volume on trading days (Yahoo Finance).",
      file: "sp500-2000.csv",
      frequency: "business-daily",
      columns: [
        { name: "spx_open", meaning: "index level at the open" },
        { name: "spx_high", meaning: "highest index level of the day" },
        { name: "spx_low", meaning: "lowest index level of the day" },
        { name: "spx_close", meaning: "index level at the close" },
        { name: "spx_adjclose", meaning: "close adjusted for distributions (equal to the close for the index)" },
        { name: "spx_volume", meaning: "shares traded" },
      ],
      dateRange: { start: "2000-01-03", end: "2020-04-17" },
    },
    renames: {
      open: "spx_open",
      high: "spx_high",
      low: "spx_low",
      close: "spx_close",
      adjclose: "spx_adjclose",
      volume: "spx_volume",
    },
  },
  {
    info: {
      name: "seattle_weather",
      title: "Seattle daily weather",
      description: "Daily weather in Seattle in metric units (NOAA). The file's categorical weather column (sun, rain, ...) is left out.",
      file: "seattle-weather.csv",
      frequency: "daily",
      columns: WEATHER_MEASURES.map(({ name, meaning }) => ({ name, meaning: `Seattle ${meaning}` })),
      dateRange: { start: "2012-01-01", end: "2015-12-31" },
    },
  },
  {
    info: {
      name: "seattle_newyork_weather",
      title: "Seattle and New York daily weather",
      description:
        "Daily weather in Seattle and New York in metric units (NOAA), one column per city and measure. " +
        "The file's categorical weather column is left out.",
      file: "weather.csv",
      frequency: "daily",
      columns: WEATHER_CITIES.flatMap((city) =>
        WEATHER_MEASURES.map(({ name, meaning }) => ({ name: `${city.prefix}_${name}`, meaning: `${city.label} ${meaning}` })),
      ),
      dateRange: { start: "2012-01-01", end: "2015-12-31" },
    },
    pivotBy: "location",
  },
  {
    info: {
      name: "co2",
      title: "Mauna Loa CO2 concentration",
      description: "Monthly atmospheric CO2 concentration at Mauna Loa Observatory, Hawaii (Scripps CO2 Program).",
      file: "co2-concentration.csv",
      frequency: "monthly",
      columns: [
        { name: "co2", meaning: "CO2 concentration (ppm)" },
        { name: "co2_adjusted", meaning: "CO2 concentration with the seasonal cycle removed (ppm)" },
      ],
      dateRange: { start: "1958-03-01", end: "2020-04-01" },
    },
    renames: { CO2: "co2", "adjusted CO2": "co2_adjusted" },
  },
  {
    info: {
      name: "us_employment",
      title: "US employment by sector",
      description: "Monthly US employment by supersector, seasonally adjusted, in thousands of jobs (BLS Current Employment Statistics).",
      file: "us-employment.csv",
      frequency: "monthly",
      columns: [
        ...US_EMPLOYMENT_SECTORS.map(([name, sector]) => ({ name, meaning: `employees in ${sector} (thousands)` })),
        { name: "nonfarm_change", meaning: "change in all nonfarm employees from the previous month (thousands)" },
      ],
      dateRange: { start: "2006-01-01", end: "2015-12-01" },
    },
  },
];
