import type { FastifyInstance, FastifyRequest } from 'fastify';
import { field, queryOf } from '../../api/form.js';
import type { Account } from '../../store/schema.js';
import { PROJECT_VERSION, type ProjectState } from '../project/state.js';
import { emptyProject } from '../project/empty.js';
import { MalformedProjectState, UnsupportedProjectVersion, upgradeProject, validateProject, type ValidationItem } from '../project/validate.js';
import { loadTemplate, templateKind } from '../templates/index.js';
import { ArchiveError, packProject, unpackProject } from '../storage/archive.js';
import { isAudioOfType, checkMediaName } from '../storage/media.js';
import type { DesignerContext } from './context.js';
import { assertNameFree, createProject } from './create-project.js';
import { readParts } from './multipart.js';
import { checkName, checkParameters, checkSettings, isProjectKind, jsonBody, PROJECT_KINDS, parametersBody, parametersOf, settingsOf, stateOf } from './project-data.js';
import { badRequest, invalidProject, notFound, RvdError, rvdResponse } from './rvd-response.js';

type Sid = { Params: { sid: string } };

/** Largest project archive an import reads. */
const MAX_ARCHIVE_BYTES = 32 * 1024 * 1024;

/** The state in the current format; a 400 naming the version (RVD's `UnsupportedProjectVersion`) or the malformed parts. */
function upgraded(state: unknown): ProjectState {
  try {
    return upgradeProject(state);
  } catch (err) {
    if (err instanceof MalformedProjectState) throw new RvdError(400, invalidProject(err.items));
    if (err instanceof UnsupportedProjectVersion) throw new RvdError(400, rvdResponse('ERROR', { className: 'UnsupportedProjectVersion', message: err.message }));
    throw err;
  }
}

/** Validated, or RVD's INVALID report with `status` (200 on save, as RVD's UI expects; 400 on import). */
function validated(state: ProjectState, status: number): ProjectState {
  const result = validateProject(state);
  if (!result.ok) throw new RvdError(status, invalidProject(result.items));
  return result.state;
}

export function registerProjects(app: FastifyInstance, ctx: DesignerContext): void {
  const { access, store } = ctx;

  const createEmpty = async (caller: Account, name: string | undefined, kind: string | undefined): Promise<Record<string, unknown>> => {
    const projectName = checkName(name, 'name');
    if (!isProjectKind(kind)) throw badRequest(`kind must be one of ${PROJECT_KINDS.join(', ')}, not ${JSON.stringify(kind ?? null)}`);
    const sid = await createProject(ctx, caller, { name: projectName, kind, state: emptyProject(kind, caller.email_address) });
    return { name: projectName, sid, kind };
  };

  const createFromTemplate = async (caller: Account, id: string, name: string | undefined): Promise<Record<string, unknown>> => {
    if (!/^TL[a-zA-Z0-9]+$/.test(id)) throw badRequest(`template "${id}" is not a template id (TL followed by letters and digits)`);
    const template = loadTemplate(id);
    if (template === null) throw notFound('TemplateDoesNotExist', `template ${id} does not exist`);
    const kind = templateKind(template.info);
    if (kind === null) throw badRequest(`template ${id} has no kind tag`);
    const projectName = name === undefined || name === '' ? `${template.info.name} ${Date.now()}` : checkName(name, 'name');
    const sid = await createProject(ctx, caller, { name: projectName, kind, state: template.state, parameters: template.parameters });
    return { name: projectName, sid, kind };
  };

  /** One archive of an import: its state upgraded and validated, its media checked by content. */
  const importArchive = async (caller: Account, data: Uint8Array, name: string): Promise<string> => {
    let archive;
    try {
      archive = unpackProject(data, ctx.config.designerMaxMediaBytes);
    } catch (err) {
      if (err instanceof ArchiveError) throw badRequest(err.message, 'ArchiveError');
      throw err;
    }
    const state = validated(upgraded(archive.state), 400);
    for (const m of archive.media) {
      const check = checkMediaName(m.name);
      if (!check.ok || !(await isAudioOfType(m.data, check.type))) throw badRequest(`media file "${m.name}" in the archive is not ${check.ok ? check.type.toUpperCase() : 'WAV or MP3'} audio`, 'ArchiveError');
    }
    return createProject(ctx, caller, {
      name,
      kind: state.header.projectKind,
      state,
      parameters: archive.parameters === undefined ? [] : parametersBody(archive.parameters, 'the archive\'s parameters'),
      settings: archive.settings === undefined ? null : checkSettings(archive.settings),
      webTrigger: archive.webTrigger ?? null,
      media: archive.media,
    });
  };

  const importProjects = async (request: FastifyRequest, caller: Account): Promise<Record<string, unknown>[]> => {
    const given = field(queryOf(request), 'name');
    const files = (await readParts(request, MAX_ARCHIVE_BYTES)).filter((p) => p.type !== 'field');
    if (files.length === 0) throw badRequest('the multipart body has no file part (a project zip archive)');
    const created: Record<string, unknown>[] = [];
    for (const [i, file] of files.entries()) {
      if (file.type === 'file-too-big') throw badRequest(`archive "${file.fileName}" is larger than ${MAX_ARCHIVE_BYTES} bytes`, 'ArchiveError');
      if (file.type !== 'file') continue;
      const name = checkName(i === 0 && given ? given : file.fileName.replace(/^.*[\\/]/, '').replace(/\.zip$/i, ''), 'name');
      created.push({ field: file.fieldName, name, id: await importArchive(caller, file.data, name) });
    }
    return created;
  };

  app.post('/projects', async (request, reply) => {
    const caller = await access.caller(request);
    if (request.isMultipart()) return reply.send(await importProjects(request, caller));
    const query = queryOf(request);
    const template = field(query, 'template');
    if (template !== undefined) return reply.send(await createFromTemplate(caller, template, field(query, 'name')));
    return reply.send(await createEmpty(caller, field(query, 'name'), field(query, 'kind')));
  });

  // The legacy create RVD removed and its bundled UI still calls.
  app.put<Sid>('/projects/:sid', async (request, reply) => {
    const caller = await access.caller(request);
    return reply.send(await createEmpty(caller, request.params.sid, field(queryOf(request), 'kind')));
  });

  app.get<Sid>('/projects/:sid', async (request, reply) => {
    const project = await access.project(await access.caller(request), request.params.sid, 'Read');
    return reply.type('application/json; charset=utf-8').send(project.state);
  });

  app.get<Sid>('/projects/:sid/info', async (request, reply) => {
    const project = await access.project(await access.caller(request), request.params.sid, 'Read');
    const { header } = stateOf(project);
    return reply.send({ projectKind: header.projectKind, startNodeName: header.startNodeName, version: header.version, owner: header.owner });
  });

  app.post<Sid>('/projects/:sid', async (request, reply) => {
    const project = await access.project(await access.caller(request), request.params.sid, 'Modify');
    const state = upgraded(jsonBody(request.body, 'project state'));
    try {
      const valid = validated(state, 200);
      if (valid.header.projectKind !== project.kind) {
        const item: ValidationItem = { level: 'error', summary: `projectKind cannot change from ${project.kind} to ${valid.header.projectKind}`, failurePath: '/header/projectKind' };
        return reply.send(invalidProject([item]));
      }
      const stored: ProjectState = { ...valid, header: { ...valid.header, version: PROJECT_VERSION, owner: project.owner_email } };
      await store.designerProjects.update(project.sid, { state: JSON.stringify(stored) });
      return reply.send(rvdResponse('OK'));
    } catch (err) {
      if (err instanceof RvdError && err.status === 200) return reply.send(err.body);
      throw err;
    }
  });

  // Dialtone runs the saved state: there is nothing to build.
  app.post<Sid>('/projects/:sid/build', async (request, reply) => {
    await access.project(await access.caller(request), request.params.sid, 'Modify');
    return reply.code(200).send();
  });

  app.put<Sid>('/projects/:sid/upgrade', async (request, reply) => {
    const project = await access.project(await access.caller(request), request.params.sid, 'Modify');
    await store.designerProjects.update(project.sid, { state: JSON.stringify(upgraded(stateOf(project))) });
    return reply.code(200).send();
  });

  app.put<Sid>('/projects/:sid/rename', async (request, reply) => {
    const project = await access.project(await access.caller(request), request.params.sid, 'Modify');
    const name = checkName(field(queryOf(request), 'newName'), 'newName');
    await assertNameFree(ctx, project.account_sid, name, project.sid);
    await store.designerProjects.rename(project.sid, name);
    return reply.code(200).send();
  });

  app.delete<Sid>('/projects/:sid', async (request, reply) => {
    const project = await access.project(await access.caller(request), request.params.sid, 'Delete');
    await store.designerProjects.delete(project.sid);
    await ctx.workspace.remove(project.sid);
    return reply.code(200).send();
  });

  app.get<Sid>('/projects/:sid/archive', async (request, reply) => {
    const project = await access.project(await access.caller(request), request.params.sid, 'Read');
    const name = field(queryOf(request), 'projectName') || project.name;
    const zip = packProject({
      state: stateOf(project),
      settings: project.settings === null ? null : settingsOf(project),
      parameters: { parameters: parametersOf(project) },
      webTrigger: project.web_trigger === null ? null : (JSON.parse(project.web_trigger) as unknown),
      media: await ctx.media.readAll(project.sid),
    });
    return reply
      .type('application/zip')
      .header('Content-Disposition', `attachment; filename*=UTF-8''${encodeURIComponent(name)}.zip`)
      .send(Buffer.from(zip));
  });

  app.get<Sid>('/projects/:sid/parameters', async (request, reply) => {
    const project = await access.project(await access.caller(request), request.params.sid, 'Read');
    return reply.send({ parameters: parametersOf(project) });
  });

  // Creates and updates (RVD only updated names a template or import had supplied).
  app.put<Sid>('/projects/:sid/parameters', async (request, reply) => {
    const project = await access.project(await access.caller(request), request.params.sid, 'Modify');
    const given = parametersBody(jsonBody(request.body, 'parameters'), 'body');
    const merged = new Map(parametersOf(project).map((p) => [p.name, p]));
    for (const p of given) merged.set(p.name, p);
    const parameters = checkParameters([...merged.values()], 'parameters');
    await store.designerProjects.update(project.sid, { parameters: JSON.stringify(parameters) });
    return reply.send({ parameters });
  });

  // Dialtone's: RVD has no way to remove a parameter.
  app.delete<Sid>('/projects/:sid/parameters', async (request, reply) => {
    const project = await access.project(await access.caller(request), request.params.sid, 'Modify');
    const name = checkName(field(queryOf(request), 'name'), 'name');
    const current = parametersOf(project);
    const parameters = current.filter((p) => p.name !== name);
    if (parameters.length === current.length) throw notFound('ParameterDoesNotExist', `project ${project.sid} has no parameter "${name}"`);
    await store.designerProjects.update(project.sid, { parameters: JSON.stringify(parameters) });
    return reply.send({ parameters });
  });

  app.get<Sid>('/projects/:sid/settings', async (request, reply) => {
    const project = await access.project(await access.caller(request), request.params.sid, 'Read');
    return reply.send(project.settings === null ? {} : settingsOf(project));
  });

  app.post<Sid>('/projects/:sid/settings', async (request, reply) => {
    const project = await access.project(await access.caller(request), request.params.sid, 'Modify');
    const settings = checkSettings(jsonBody(request.body, 'settings'));
    await store.designerProjects.update(project.sid, { settings: JSON.stringify(settings) });
    return reply.code(200).send();
  });

  app.get<Sid>('/projects/:sid/cc', async (request, reply) => {
    const project = await access.project(await access.caller(request), request.params.sid, 'Read');
    if (project.web_trigger === null) throw notFound('WebTriggerNotConfigured', `project ${project.sid} has no Web Trigger configuration`);
    return reply.type('application/json; charset=utf-8').send(project.web_trigger);
  });

  app.post<Sid>('/projects/:sid/cc', async (request, reply) => {
    const project = await access.project(await access.caller(request), request.params.sid, 'Modify');
    const cc = jsonBody(request.body, 'Web Trigger configuration');
    if (cc !== null && (typeof cc !== 'object' || Array.isArray(cc))) throw badRequest('the Web Trigger configuration must be a JSON object, or null to remove it');
    await store.designerProjects.update(project.sid, { web_trigger: cc === null ? null : JSON.stringify(cc) });
    return reply.code(200).send();
  });
}
