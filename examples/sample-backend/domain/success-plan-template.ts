import type { TemplateConfig } from './catalog.ts';
import { addDays, isoDate } from './dates.ts';

export interface PlanRows {
  objectives: Array<{
    id: string; tenant_id: string; success_plan_id: string; name: string; status: string; due_date: string; position: number;
  }>;
  tasks: Array<{
    id: string; tenant_id: string; company_id: string; cta_id: null; success_plan_id: string; objective_id: string;
    name: string; status: string; priority: string; owner_id: string | null; due_date: string; completed_at: string | null;
    created_at: string;
  }>;
}

export interface PlanContext {
  tenantId: string;
  planId: string;
  companyId: string;
  ownerId: string | null;
  startDate: Date;
  createdAt: string;
  newId(prefix: string): string;
  /** Decides whether a task due on `dueDate` is already done (the seed back-dates plans). */
  isCompleted(dueDate: Date): boolean;
}

/** Turns a template into the objectives and tasks of one plan; used by the seed and by `createSuccessPlan`. */
export function instantiateTemplate(template: TemplateConfig, context: PlanContext): PlanRows {
  const rows: PlanRows = { objectives: [], tasks: [] };
  template.objectives.forEach((objective, position) => {
    const objectiveId = context.newId('obj');
    const taskStates = objective.tasks.map((task) => {
      const due = addDays(context.startDate, task.dueOffsetDays);
      const completed = context.isCompleted(due);
      rows.tasks.push({
        id: context.newId('tsk'), tenant_id: context.tenantId, company_id: context.companyId, cta_id: null,
        success_plan_id: context.planId, objective_id: objectiveId, name: task.name,
        status: completed ? 'completed' : 'open', priority: 'medium', owner_id: context.ownerId,
        due_date: isoDate(due), completed_at: completed ? `${isoDate(due)}T17:00:00.000Z` : null,
        created_at: context.createdAt,
      });
      return completed;
    });
    const done = taskStates.filter(Boolean).length;
    rows.objectives.push({
      id: objectiveId, tenant_id: context.tenantId, success_plan_id: context.planId, name: objective.name,
      status: done === taskStates.length ? 'completed' : done > 0 ? 'in_progress' : 'not_started',
      due_date: isoDate(addDays(context.startDate, objective.dueOffsetDays)), position,
    });
  });
  return rows;
}
