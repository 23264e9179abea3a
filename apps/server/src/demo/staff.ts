import type { DemoStaff } from './types';
import { DEPARTMENT, HALL_ID } from './ids';

/**
 * Demo accounts. Display names are generic job titles, not people; the passwords
 * exist so a newcomer can log in to a development hall and must never be seeded in
 * production.
 */

const clerk = (counter: number, zhNumber: string, departmentId?: string): DemoStaff => ({
  id: `staff.clerk${counter}`,
  hallId: HALL_ID,
  login: `clerk${counter}`,
  displayName: `窗口${zhNumber}号办事员`,
  staffNumber: `SW0${counter}0`,
  ...(departmentId ? { departmentId } : {}),
  roles: ['clerk'],
  demoPassword: `demo-clerk${counter}`,
});

const officer = (n: number, department: string, departmentId: string): DemoStaff => ({
  id: `staff.officer${n}`,
  hallId: HALL_ID,
  login: `officer${n}`,
  displayName: `${department}审批员`,
  staffNumber: `SW30${n}`,
  departmentId,
  roles: ['officer'],
  demoPassword: `demo-officer${n}`,
});

export const demoStaff: DemoStaff[] = [
  clerk(1, '一'),
  clerk(2, '二', DEPARTMENT.household),
  clerk(3, '三', DEPARTMENT.household),
  clerk(4, '四', DEPARTMENT.exitEntry),
  clerk(5, '五', DEPARTMENT.vehicle),
  clerk(6, '六'),
  // 后台审批: officers review accepted cases of their department in the console's back office.
  officer(1, '户政', DEPARTMENT.household),
  officer(2, '出入境', DEPARTMENT.exitEntry),
  {
    id: 'staff.supervisor',
    hallId: HALL_ID,
    login: 'supervisor',
    displayName: '户政值班主管',
    staffNumber: 'SW100',
    departmentId: DEPARTMENT.household,
    // A supervisor also takes a counter when the hall is busy.
    roles: ['supervisor', 'clerk'],
    demoPassword: 'demo-supervisor',
  },
  {
    id: 'staff.hall-manager',
    hallId: HALL_ID,
    login: 'hallmanager',
    displayName: '大厅值班经理',
    staffNumber: 'SW200',
    roles: ['hall_manager'],
    demoPassword: 'demo-hallmanager',
  },
  {
    id: 'staff.city-admin',
    hallId: null,
    login: 'cityadmin',
    displayName: '市级系统管理员',
    staffNumber: 'SW900',
    roles: ['city_admin'],
    demoPassword: 'demo-cityadmin',
  },
];
