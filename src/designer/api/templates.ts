import type { FastifyInstance } from 'fastify';
import { field, queryOf } from '../../api/form.js';
import { listTemplates, loadTemplate, type TemplateInfo } from '../templates/index.js';
import type { DesignerContext } from './context.js';
import { badRequest, notFound } from './rvd-response.js';

/** RVD's fixed page size of the template list. */
const PAGE_SIZE = 100;

const info = (t: TemplateInfo): Record<string, unknown> => ({ id: t.id, name: t.name, description: t.description, tags: t.tags });

export function registerTemplates(app: FastifyInstance, ctx: DesignerContext): void {
  app.get('/templates', async (request, reply) => {
    await ctx.access.caller(request);
    const page = field(queryOf(request), 'page');
    if (page === undefined) return reply.send({ results: listTemplates().map(info) });
    const n = Number(page);
    if (!/^\d+$/.test(page) || !Number.isSafeInteger(n)) throw badRequest(`page must be a whole number >= 0, not "${page}"`);
    return reply.send({ results: listTemplates().slice(n * PAGE_SIZE, (n + 1) * PAGE_SIZE).map(info), currentPage: n, pageSize: PAGE_SIZE });
  });

  app.get<{ Params: { id: string } }>('/templates/:id', async (request, reply) => {
    await ctx.access.caller(request);
    const { id } = request.params;
    if (!/^TL[a-zA-Z0-9]+$/.test(id)) throw badRequest(`"${id}" is not a template id (TL followed by letters and digits)`);
    const template = loadTemplate(id);
    if (template === null) throw notFound('TemplateDoesNotExist', `template ${id} does not exist`);
    return reply.send(info(template.info));
  });
}
