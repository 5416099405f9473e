/**
 * The audio the Chat Completions API takes as an `input_audio` part: WAV and MP3 only, named by
 * format rather than media type.
 */

/** The `input_audio` format of a media type, or undefined for audio the Chat API does not take. */
export function inputAudioFormat(mediaType: string): 'wav' | 'mp3' | undefined {
  switch (mediaType.toLowerCase()) {
    case 'audio/wav':
    case 'audio/wave':
    case 'audio/x-wav':
    case 'audio/vnd.wave':
      return 'wav';
    case 'audio/mpeg':
    case 'audio/mp3':
    case 'audio/mpeg3':
    case 'audio/x-mpeg-3':
      return 'mp3';
    default:
      return undefined;
  }
}
