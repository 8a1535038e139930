export { DEFAULT_DASHBOARD_HOST, DEFAULT_DASHBOARD_PORT, startDashboard } from './dashboard-server';
export type { DashboardOptions, RunningDashboard } from './dashboard-server';
