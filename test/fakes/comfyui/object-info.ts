/**
 * The node catalogue of the fake ComfyUI: `/object_info` entries in ComfyUI's own shape
 * (`input.required/optional/hidden`, `input_order`, `output`, `output_name`, `output_node`, …) for the
 * built-in nodes a bot's graphs use, with the KSampler sampler and scheduler lists of 0.3.64 and 0.3.12.
 */

export type ComfyVersion = '0.3.64' | '0.3.12';

/** `[type or combo list, options?]`, as in `INPUT_TYPES()`. */
export type InputSpec = [string | string[], Record<string, unknown>?];

export interface NodeInfo {
  input: {
    required: Record<string, InputSpec>;
    optional?: Record<string, InputSpec>;
    hidden?: Record<string, string>;
  };
  input_order: { required: string[]; optional?: string[]; hidden?: string[] };
  output: string[];
  output_is_list: boolean[];
  output_name: string[];
  name: string;
  display_name: string;
  description: string;
  python_module: string;
  category: string;
  output_node: boolean;
  output_tooltips?: string[];
  api_node?: boolean;
}

export type ObjectInfo = Record<string, NodeInfo>;

export interface ModelLists {
  checkpoints: string[];
  loras: string[];
  upscaleModels: string[];
  unets: string[];
  clips: string[];
  vaes: string[];
  embeddings: string[];
}

export const DEFAULT_MODEL_LISTS: ModelLists = {
  checkpoints: ['v1-5-pruned-emaonly.safetensors', 'sd_xl_base_1.0.safetensors', 'flux1-dev-fp8.safetensors'],
  loras: ['add_detail.safetensors', 'pixel-art-xl.safetensors', 'flux/realism_lora.safetensors'],
  upscaleModels: ['4x-UltraSharp.pth', 'RealESRGAN_x2plus.pth'],
  unets: ['flux1-dev.safetensors', 'flux1-schnell.safetensors'],
  clips: ['clip_l.safetensors', 't5xxl_fp16.safetensors', 't5xxl_fp8_e4m3fn.safetensors'],
  vaes: ['ae.safetensors', 'sdxl_vae.safetensors'],
  embeddings: ['easynegative', 'bad-hands-5'],
};

const SAMPLERS_0_3_12 = [
  'euler',
  'euler_cfg_pp',
  'euler_ancestral',
  'euler_ancestral_cfg_pp',
  'heun',
  'heunpp2',
  'dpm_2',
  'dpm_2_ancestral',
  'lms',
  'dpm_fast',
  'dpm_adaptive',
  'dpmpp_2s_ancestral',
  'dpmpp_2s_ancestral_cfg_pp',
  'dpmpp_sde',
  'dpmpp_sde_gpu',
  'dpmpp_2m',
  'dpmpp_2m_cfg_pp',
  'dpmpp_2m_sde',
  'dpmpp_2m_sde_gpu',
  'dpmpp_3m_sde',
  'dpmpp_3m_sde_gpu',
  'ddpm',
  'lcm',
  'ipndm',
  'ipndm_v',
  'deis',
  'res_multistep',
  'res_multistep_cfg_pp',
  'ddim',
  'uni_pc',
  'uni_pc_bh2',
];

const SAMPLERS_0_3_64 = [
  'euler',
  'euler_cfg_pp',
  'euler_ancestral',
  'euler_ancestral_cfg_pp',
  'heun',
  'heunpp2',
  'dpm_2',
  'dpm_2_ancestral',
  'lms',
  'dpm_fast',
  'dpm_adaptive',
  'dpmpp_2s_ancestral',
  'dpmpp_2s_ancestral_cfg_pp',
  'dpmpp_sde',
  'dpmpp_sde_gpu',
  'dpmpp_2m',
  'dpmpp_2m_cfg_pp',
  'dpmpp_2m_sde',
  'dpmpp_2m_sde_gpu',
  'dpmpp_2m_sde_heun',
  'dpmpp_2m_sde_heun_gpu',
  'dpmpp_3m_sde',
  'dpmpp_3m_sde_gpu',
  'ddpm',
  'lcm',
  'ipndm',
  'ipndm_v',
  'deis',
  'res_multistep',
  'res_multistep_cfg_pp',
  'res_multistep_ancestral',
  'res_multistep_ancestral_cfg_pp',
  'gradient_estimation',
  'gradient_estimation_cfg_pp',
  'er_sde',
  'seeds_2',
  'seeds_3',
  'sa_solver',
  'sa_solver_pece',
  'ddim',
  'uni_pc',
  'uni_pc_bh2',
];

const SCHEDULERS_0_3_12 = [
  'normal',
  'karras',
  'exponential',
  'sgm_uniform',
  'simple',
  'ddim_uniform',
  'beta',
  'linear_quadratic',
  'kl_optimal',
];

const SCHEDULERS_0_3_64 = [
  'simple',
  'sgm_uniform',
  'karras',
  'exponential',
  'ddim_uniform',
  'beta',
  'normal',
  'linear_quadratic',
  'kl_optimal',
];

export function samplerNames(version: ComfyVersion): string[] {
  return [...(version === '0.3.64' ? SAMPLERS_0_3_64 : SAMPLERS_0_3_12)];
}

export function schedulerNames(version: ComfyVersion): string[] {
  return [...(version === '0.3.64' ? SCHEDULERS_0_3_64 : SCHEDULERS_0_3_12)];
}

const UPSCALE_METHODS = ['nearest-exact', 'bilinear', 'area', 'bicubic', 'lanczos'];
const WEIGHT_DTYPES = ['default', 'fp8_e4m3fn', 'fp8_e4m3fn_fast', 'fp8_e5m2'];
/** 2^64 - 1, as ComfyUI declares it; JSON carries the nearest double. */
const SEED_MAX = 2 ** 64 - 1;

interface NodeDef {
  display: string;
  category: string;
  module?: string;
  description?: string;
  required: Record<string, InputSpec>;
  optional?: Record<string, InputSpec>;
  hidden?: Record<string, string>;
  output: string[];
  outputName?: string[];
  outputNode?: boolean;
}

function node(name: string, def: NodeDef, version: ComfyVersion): NodeInfo {
  const input: NodeInfo['input'] = { required: def.required };
  const inputOrder: NodeInfo['input_order'] = { required: Object.keys(def.required) };
  if (def.optional !== undefined) {
    input.optional = def.optional;
    inputOrder.optional = Object.keys(def.optional);
  }
  if (def.hidden !== undefined) {
    input.hidden = def.hidden;
    inputOrder.hidden = Object.keys(def.hidden);
  }
  const info: NodeInfo = {
    input,
    input_order: inputOrder,
    output: def.output,
    output_is_list: def.output.map(() => false),
    output_name: def.outputName ?? def.output,
    name,
    display_name: def.display,
    description: def.description ?? '',
    python_module: def.module ?? 'nodes',
    category: def.category,
    output_node: def.outputNode === true,
  };
  if (version === '0.3.64') info.api_node = false;
  return info;
}

const dims = (label: string): InputSpec => [
  'INT',
  { default: 512, min: 16, max: 16384, step: 8, tooltip: `The ${label} of the latent images in pixels.` },
];

/** The `/object_info` document of a fake server with these model files and input images. */
export function buildObjectInfo(
  version: ComfyVersion,
  models: ModelLists,
  inputImages: string[],
): ObjectInfo {
  const defs: Record<string, NodeDef> = {
    KSampler: {
      display: 'KSampler',
      category: 'sampling',
      description: 'Uses the provided model, positive and negative conditioning to denoise the latent image.',
      required: {
        model: ['MODEL', { tooltip: 'The model used for denoising the input latent.' }],
        seed: [
          'INT',
          {
            default: 0,
            min: 0,
            max: SEED_MAX,
            control_after_generate: true,
            tooltip: 'The random seed used for creating the noise.',
          },
        ],
        steps: [
          'INT',
          { default: 20, min: 1, max: 10000, tooltip: 'The number of steps used in the denoising process.' },
        ],
        cfg: ['FLOAT', { default: 8.0, min: 0.0, max: 100.0, step: 0.1, round: 0.01 }],
        sampler_name: [samplerNames(version), { tooltip: 'The algorithm used when sampling.' }],
        scheduler: [
          schedulerNames(version),
          { tooltip: 'The scheduler controls how noise is gradually removed.' },
        ],
        positive: ['CONDITIONING', { tooltip: 'The conditioning describing the attributes to include.' }],
        negative: ['CONDITIONING', { tooltip: 'The conditioning describing the attributes to exclude.' }],
        latent_image: ['LATENT', { tooltip: 'The latent image to denoise.' }],
        denoise: ['FLOAT', { default: 1.0, min: 0.0, max: 1.0, step: 0.01 }],
      },
      output: ['LATENT'],
    },
    CheckpointLoaderSimple: {
      display: 'Load Checkpoint',
      category: 'loaders',
      description: 'Loads a diffusion model checkpoint.',
      required: {
        ckpt_name: [models.checkpoints, { tooltip: 'The name of the checkpoint (model) to load.' }],
      },
      output: ['MODEL', 'CLIP', 'VAE'],
    },
    CLIPTextEncode: {
      display: 'CLIP Text Encode (Prompt)',
      category: 'conditioning',
      required: {
        text: ['STRING', { multiline: true, dynamicPrompts: true, tooltip: 'The text to be encoded.' }],
        clip: ['CLIP', { tooltip: 'The CLIP model used for encoding the text.' }],
      },
      output: ['CONDITIONING'],
    },
    EmptyLatentImage: {
      display: 'Empty Latent Image',
      category: 'latent',
      required: {
        width: dims('width'),
        height: dims('height'),
        batch_size: [
          'INT',
          { default: 1, min: 1, max: 4096, tooltip: 'The number of latent images in the batch.' },
        ],
      },
      output: ['LATENT'],
    },
    EmptySD3LatentImage: {
      display: 'EmptySD3LatentImage',
      category: 'latent/sd3',
      module: 'comfy_extras.nodes_sd3',
      required: {
        width: ['INT', { default: 1024, min: 16, max: 16384, step: 16 }],
        height: ['INT', { default: 1024, min: 16, max: 16384, step: 16 }],
        batch_size: ['INT', { default: 1, min: 1, max: 4096 }],
      },
      output: ['LATENT'],
    },
    VAEDecode: {
      display: 'VAE Decode',
      category: 'latent',
      required: { samples: ['LATENT'], vae: ['VAE'] },
      output: ['IMAGE'],
    },
    VAEEncode: {
      display: 'VAE Encode',
      category: 'latent',
      required: { pixels: ['IMAGE'], vae: ['VAE'] },
      output: ['LATENT'],
    },
    SaveImage: {
      display: 'Save Image',
      category: 'image',
      description: 'Saves the input images to your ComfyUI output directory.',
      required: {
        images: ['IMAGE', { tooltip: 'The images to save.' }],
        filename_prefix: ['STRING', { default: 'ComfyUI', tooltip: 'The prefix for the file to save.' }],
      },
      hidden: { prompt: 'PROMPT', extra_pnginfo: 'EXTRA_PNGINFO' },
      output: [],
      outputNode: true,
    },
    PreviewImage: {
      display: 'Preview Image',
      category: 'image',
      required: { images: ['IMAGE'] },
      hidden: { prompt: 'PROMPT', extra_pnginfo: 'EXTRA_PNGINFO' },
      output: [],
      outputNode: true,
    },
    LoadImage: {
      display: 'Load Image',
      category: 'image',
      required: { image: [[...inputImages].sort(), { image_upload: true }] },
      output: ['IMAGE', 'MASK'],
    },
    LoraLoader: {
      display: 'Load LoRA',
      category: 'loaders',
      required: {
        model: ['MODEL', { tooltip: 'The diffusion model the LoRA will be applied to.' }],
        clip: ['CLIP', { tooltip: 'The CLIP model the LoRA will be applied to.' }],
        lora_name: [models.loras, { tooltip: 'The name of the LoRA.' }],
        strength_model: ['FLOAT', { default: 1.0, min: -100.0, max: 100.0, step: 0.01 }],
        strength_clip: ['FLOAT', { default: 1.0, min: -100.0, max: 100.0, step: 0.01 }],
      },
      output: ['MODEL', 'CLIP'],
    },
    UpscaleModelLoader: {
      display: 'Load Upscale Model',
      category: 'loaders',
      module: 'comfy_extras.nodes_upscale_model',
      required: { model_name: [models.upscaleModels] },
      output: ['UPSCALE_MODEL'],
    },
    ImageUpscaleWithModel: {
      display: 'Upscale Image (using Model)',
      category: 'image/upscaling',
      module: 'comfy_extras.nodes_upscale_model',
      required: { upscale_model: ['UPSCALE_MODEL'], image: ['IMAGE'] },
      output: ['IMAGE'],
    },
    ImageScaleBy: {
      display: 'Upscale Image By',
      category: 'image/upscaling',
      required: {
        image: ['IMAGE'],
        upscale_method: [UPSCALE_METHODS],
        scale_by: ['FLOAT', { default: 1.0, min: 0.01, max: 8.0, step: 0.01 }],
      },
      output: ['IMAGE'],
    },
    ImageScale: {
      display: 'Upscale Image',
      category: 'image/upscaling',
      required: {
        image: ['IMAGE'],
        upscale_method: [UPSCALE_METHODS],
        width: ['INT', { default: 512, min: 0, max: 16384, step: 1 }],
        height: ['INT', { default: 512, min: 0, max: 16384, step: 1 }],
        crop: [['disabled', 'center']],
      },
      output: ['IMAGE'],
    },
    UNETLoader: {
      display: 'Load Diffusion Model',
      category: 'advanced/loaders',
      required: { unet_name: [models.unets], weight_dtype: [WEIGHT_DTYPES] },
      output: ['MODEL'],
    },
    DualCLIPLoader: {
      display: 'DualCLIPLoader',
      category: 'advanced/loaders',
      description:
        '[Recipes]\n\nsdxl: clip-l, clip-g\nsd3: clip-l, clip-g / clip-l, t5 / clip-g, t5\nflux: clip-l, t5',
      required: {
        clip_name1: [models.clips],
        clip_name2: [models.clips],
        type: [
          version === '0.3.64'
            ? ['sdxl', 'sd3', 'flux', 'hunyuan_video', 'hidream', 'hunyuan_image']
            : ['sdxl', 'sd3', 'flux', 'hunyuan_video'],
        ],
      },
      optional: { device: [['default', 'cpu'], { advanced: true }] },
      output: ['CLIP'],
    },
    VAELoader: {
      display: 'Load VAE',
      category: 'loaders',
      required: { vae_name: [models.vaes] },
      output: ['VAE'],
    },
    FluxGuidance: {
      display: 'FluxGuidance',
      category: 'advanced/conditioning/flux',
      module: 'comfy_extras.nodes_flux',
      required: {
        conditioning: ['CONDITIONING'],
        guidance: ['FLOAT', { default: 3.5, min: 0.0, max: 100.0, step: 0.1 }],
      },
      output: ['CONDITIONING'],
    },
    ConditioningZeroOut: {
      display: 'ConditioningZeroOut',
      category: 'advanced/conditioning',
      required: { conditioning: ['CONDITIONING'] },
      output: ['CONDITIONING'],
    },
    RepeatLatentBatch: {
      display: 'Repeat Latent Batch',
      category: 'latent/batch',
      required: { samples: ['LATENT'], amount: ['INT', { default: 1, min: 1, max: 64 }] },
      output: ['LATENT'],
    },
    SetLatentNoiseMask: {
      display: 'Set Latent Noise Mask',
      category: 'latent/inpaint',
      required: { samples: ['LATENT'], mask: ['MASK'] },
      output: ['LATENT'],
    },
  };
  const info: ObjectInfo = {};
  for (const [name, def] of Object.entries(defs)) {
    info[name] = node(name, def, version);
  }
  return info;
}

/** The classes whose execution reports sampling progress (and previews). */
export const SAMPLER_CLASSES: ReadonlySet<string> = new Set(['KSampler']);
